// The properties of characters that vertical layout and line breaking need, from Unicode's
// Vertical_Orientation (UAX #50) and Line_Break (UAX #14) for the scripts we set: CJK, Latin,
// and the punctuation between them.
#pragma once

namespace pavilion::text {

// Stands upright in a vertical column (CJK ideographs, kana, hangul, full-width forms and CJK
// punctuation); everything else is rotated with its run.
bool upright_in_vertical(char32_t c);
// Closing punctuation, small kana and marks that may not begin a line or column.
bool forbidden_at_line_start(char32_t c);
// Opening punctuation that may not end a line or column.
bool forbidden_at_line_end(char32_t c);
// Ellipses and dashes that are written as one doubled mark and are never split.
bool inseparable(char32_t c);
// Punctuation and symbols a reader does not voice: ASCII and general punctuation, CJK punctuation
// and the full-width forms of both.
bool is_punctuation(char32_t c);
// Spaces between words (and the ideographic space): they break lines and draw nothing.
bool is_space(char32_t c);

}  // namespace pavilion::text
