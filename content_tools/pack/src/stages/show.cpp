#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion::pack::stages {
namespace {

// Sets each clip and sound cue's index from its source; a clip the model lacks is a finding.
void resolve(BuildContext& context, std::vector<scene::ShowCue>& cues, const std::vector<ShowCueSource>& sources,
             std::vector<checking::Finding>& findings) {
  const SceneSource& source = context.source();
  const std::vector<scene::Animation>& animations = context.tables.tree.animations;
  for (size_t index = 0; index < cues.size(); ++index) {
    scene::ShowCue& cue = cues[index];
    const ShowCueSource& cue_source = sources[index];
    if (cue.kind == scene::CueKind::sound) {
      for (size_t sound = 0; sound < context.sounds.size(); ++sound) {
        const SoundJob& job = context.sounds[sound];
        if (job.role == SoundJob::Role::exhibit_sound && job.exhibit == cue_source.sound_exhibit) {
          cue.sound = static_cast<uint32_t>(sound);
        }
      }
    }
    if (cue.kind != scene::CueKind::clip) continue;
    // place_exhibits names each model's clips "<exhibit id>: <clip>".
    const std::string& exhibit = source.exhibits[cue.exhibit].id;
    const std::string prefix = exhibit + ": ";
    std::string clips;
    for (size_t animation = 0; animation < animations.size(); ++animation) {
      const std::string& name = animations[animation].name;
      if (name.rfind(prefix, 0) != 0) continue;
      if (name.substr(prefix.size()) == cue_source.clip) cue.animation = static_cast<uint32_t>(animation);
      clips += fmt::format("{}'{}'", clips.empty() ? "" : ", ", name.substr(prefix.size()));
    }
    if (cue.animation != scene::no_show_index) continue;
    const std::string model = source.exhibits[cue.exhibit].model.filename().string();
    findings.push_back(
        {checking::Finding::Severity::error, source.file, cue_source.json_path + ".clip",
         clips.empty() ? fmt::format("plays clip '{}' of exhibit '{}', but its model {} has no clips", cue_source.clip,
                                     exhibit, model)
                       : fmt::format("plays clip '{}' of exhibit '{}', but its model {} has only {}", cue_source.clip,
                                     exhibit, model, clips),
         clips.empty() ? fmt::format("播放展品“{}”的动画“{}”，但其模型 {} 没有任何动画", exhibit, cue_source.clip, model)
                       : fmt::format("播放展品“{}”的动画“{}”，但其模型 {} 只有 {}", exhibit, cue_source.clip, model,
                                     clips)});
  }
}

}  // namespace

Result<void> prepare_show(BuildContext& context) {
  const std::optional<ShowSource>& show = context.source().show;
  if (!show) return {};
  scene::Show resolved = show->show;
  std::vector<checking::Finding> findings;
  for (size_t track = 0; track < resolved.tracks.size(); ++track) {
    resolve(context, resolved.tracks[track].cues, show->track_cues[track], findings);
  }
  for (size_t moment = 0; moment < resolved.moments.size(); ++moment) {
    resolve(context, resolved.moments[moment].response, show->moment_cues[moment], findings);
  }
  if (!findings.empty()) return checking::findings_error(fmt::format("building {}", context.source().directory), findings);
  context.tables.show = std::move(resolved);
  return {};
}

}  // namespace pavilion::pack::stages
