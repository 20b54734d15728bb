// The stages of `pavilion-pack build`, in the order build_package runs them. Each takes the
// build's context (build_context.h), reads what the stages before it left there, adds its own
// part, and records warnings and notes in context.report.notes. A failure is an error naming the
// scene file and the JSON path of what failed ("scenes/hall/scene.json: exhibits[3].sound: …"),
// except where nothing in scene.json is to blame (validate_scene, and writing the thumbnails'
// draft or the package). A stage may be called on a context made by hand, holding only what
// that stage reads: that is how each one's failures are tested.
#pragma once

#include "build_context.h"
#include "pavilion/core/error.h"

namespace pavilion::pack::stages {

// Reads and checks <scene_directory>/scene.json into report.source. Fails with every error in
// it, each at its JSON path (or line and column); its warnings stay in report.source.warnings.
Result<void> read_source(BuildContext& context);

// Reads every book exhibit's source (a IIIF manifest's file or URL, or a folder of scans with its
// book.json) into `books`, and checks the curator's start page and spine offsets against its pages.
// Fails with every error of a malformed manifest or book.json at once, each at its JSON path in
// that file, in English and Chinese; with exhibits[N].book.start or .spine_offsets.M past the last
// page; with exhibits[N].book.manifest on a manifest that cannot be fetched. Its warnings (a page
// without an image, a feature ignored) become notes of the report.
Result<void> read_books(BuildContext& context);

// Imports every model exhibit into `models`, from the cache or in bounded child processes.
// Warns of each texture a model names that cannot be found (the model is packed without it), and
// notes skins and animations (packed, shown still). Fails with exhibits[N].model on a model that
// cannot be read or imported, or goes past a limit.
Result<void> import_models(BuildContext& context);

// Gathers the models' and the panels' textures into `textures` (each file and use once, models'
// first) and processes them into blobs. Fails with the place of the first exhibit using a texture
// (exhibits[N].model or exhibits[N].image) that cannot be read or decoded.
Result<void> process_textures(BuildContext& context);

// Gathers the sounds into `sounds` (audio exhibits', poems' recitations, and what the audio-only
// mode says: a poem's title, poet and English reading, synthesised) and decodes or synthesises
// them into tables.audio. Fails with exhibits[N].sound, .poem.recitation or .poem on a sound that
// cannot be read, decoded or synthesised.
Result<void> process_sounds(BuildContext& context);

// Checks the poems' timings against their recitations, then subsets each poem's font to what it
// shows and draws its glyph atlas into tables.poems. Fails with every cue that ends after its
// recitation (exhibits[N].poem.timings.cues[M]) at once, or with exhibits[N].poem on a character
// the poem's font lacks.
Result<void> prepare_poems(BuildContext& context);

// Finds each book page's picture (local files, the manifest's Image API, its URL; image_cache),
// tiles it into a pyramid (content_tools/pyramid) with pages on worker threads, and adds every
// tile as a blob of its own; unchanged pages come from the cache. A page whose picture is found
// nowhere becomes a placeholder with a warning. Also reads each page's ALTO or hOCR text (a
// warning when it cannot be read). Fails with exhibits[N].book and the page on a picture that
// cannot be decoded.
Result<void> tile_books(BuildContext& context);

// Places every exhibit: its node, meshes, materials and instances into `tables` and `meshes`,
// and the textures' references into tables.textures. Does not fail.
Result<void> place_exhibits(BuildContext& context);

// Resolves the show's clips (a model exhibit's clip by name) and sounds (an audio exhibit's sound)
// into tables.show. Fails with every cue that names a clip its model does not have
// (show.tracks[N].cues[M].clip), each at once.
Result<void> prepare_show(BuildContext& context);

// Compresses the meshes into blobs and counts triangles and draw calls for the report.
Result<void> pack_meshes(BuildContext& context);

// The renderer's own checks, before anything is written: a package that loads is a package that
// draws. A failure here is the tool's, not the curator's.
Result<void> validate_scene(BuildContext& context);

// Stores the scene's tables as a blob (scene_blob) and writes the manifest. Does not fail.
Result<void> describe_package(BuildContext& context);

// Plays the show (when the scene has one) and each of its moments' responses as a headset shows
// them, from an unsigned draft beside the output (for lint, in the temporary folder) removed
// afterwards, and analyses every frame for flashes (show_flashes.h). A show that could provoke
// seizures fails the build with one error per problem at `show` (or at `show.moments[N]`, naming
// the moment's trigger, exhibit and event), naming the second, the part of the view and what
// flashed, and a picture of its worst frame written beside the output (for lint, in the
// temporary folder), which the error names. Without a Vulkan device the show is not checked and a warning says so.
Result<void> check_show_flashes(BuildContext& context);

// Draws each exhibit's thumbnail (when the options ask for them and there is an output) from an
// unsigned draft beside the output, removed afterwards. Without a Vulkan device the package is
// built without them and a warning says so. Fails only when the draft cannot be written.
Result<void> draw_thumbnails(BuildContext& context);

// Writes the package (when there is an output) through a temporary file renamed into place: a
// failure leaves no file behind, and a package already there as it was.
Result<void> write_package(BuildContext& context);

}  // namespace pavilion::pack::stages
