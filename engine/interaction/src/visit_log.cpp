#include "pavilion/interaction/visit_log.h"

namespace pavilion::interaction {

std::string_view to_string(InputMethod method) {
  switch (method) {
    case InputMethod::touch: return "touch";
    case InputMethod::keypad: return "keypad";
    case InputMethod::controller: return "controller";
    case InputMethod::hand: return "hand";
    case InputMethod::gaze: return "gaze";
  }
  return "unknown";
}

void VisitLog::start_session(InputMethod method, double now, std::string_view language) {
  session_since_ = now;
  event(telemetry::EventType::session_start, to_string(method));
  if (!language.empty()) event(telemetry::EventType::language_change, language, 0);
}

void VisitLog::end_session(std::string_view reason, double now) {
  if (!session_since_) return;
  close_exhibit(now);
  event(telemetry::EventType::session_end, reason, milliseconds(now - *session_since_));
  session_since_.reset();
}

void VisitLog::enter_scene(const telemetry::PackageRef& package, double now) {
  exit_scene(now);
  if (telemetry_) telemetry_->set_package(package.id, package.version);
  scene_ = Shown{{}, now};
  scene_->id.assign(package.id);
  event(telemetry::EventType::scene_enter, package.id);
}

void VisitLog::exit_scene(double now) {
  if (!scene_) return;
  event(telemetry::EventType::scene_exit, scene_->id.view(), milliseconds(now - scene_->since));
  scene_.reset();
}

void VisitLog::open_exhibit(const ExhibitRef& exhibit, double now) {
  close_exhibit(now);
  exhibit_event(telemetry::EventType::exhibit_open, exhibit);
  exhibit_ = Open{{}, {}, {}, now};
  exhibit_->package_id.assign(exhibit.package.id);
  exhibit_->package_version.assign(exhibit.package.version);
  exhibit_->exhibit_id.assign(exhibit.exhibit_id);
}

void VisitLog::close_exhibit(double now) {
  if (!exhibit_) return;
  exhibit_event(telemetry::EventType::exhibit_close,
                {{exhibit_->package_id.view(), exhibit_->package_version.view()}, exhibit_->exhibit_id.view()},
                milliseconds(now - exhibit_->since));
  exhibit_.reset();
}

void VisitLog::exhibit_event(telemetry::EventType type, const ExhibitRef& exhibit, int64_t value) {
  if (telemetry_) telemetry_->record(type, exhibit.package, exhibit.exhibit_id, value);
}

void VisitLog::event(telemetry::EventType type, std::string_view subject, int64_t value) {
  if (telemetry_) telemetry_->record(type, subject, value);
}

}  // namespace pavilion::interaction
