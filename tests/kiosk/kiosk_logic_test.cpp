// The kiosk's rules without a screen: settings files, the calendar, visitor sessions, scripts,
// colours and words.
#include "pavilion/core/log.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/script.h"
#include "pavilion/kiosk/visitor_session.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace pavilion::kiosk {
namespace {

using namespace std::chrono;

std::optional<KioskConfig> parse(std::string_view text, std::vector<checking::Finding>& findings) {
  return parse_kiosk_config(text, "/srv/kiosk/kiosk.json", findings);
}

std::string locations(const std::vector<checking::Finding>& findings) {
  std::string all;
  for (const checking::Finding& finding : findings) all += finding.location + " ";
  return all;
}

TEST(KioskConfig, ReadsEveryFieldWithPathsRelativeToTheFile) {
  std::vector<checking::Finding> findings;
  const auto config = parse(R"({"content": "packages", "trusted_keys": ["keys/curator.pub"], "operator_pin": "2468",
      "utc_offset_minutes": 480, "idle_timeout_seconds": 45, "opening_hours": {"daily": "09:00-18:00", "monday": "closed"},
      "playlist": [{"package": "festival.pvpkg", "from": "2027-01-20", "until": "2027-02-12"}, {"package": "gallery.pvpkg"}]})",
                            findings);
  ASSERT_TRUE(config) << locations(findings);
  EXPECT_EQ(config->content, "/srv/kiosk/packages");
  EXPECT_EQ(config->trusted_keys.at(0), "/srv/kiosk/keys/curator.pub");
  EXPECT_EQ(config->operator_pin, "2468");
  EXPECT_EQ(config->utc_offset, minutes(480));
  EXPECT_EQ(config->idle_timeout_seconds, 45);
  EXPECT_FALSE(config->opening_hours.days[Monday.c_encoding()].open);
  EXPECT_EQ(config->opening_hours.days[Tuesday.c_encoding()].opens, 9u * 60);
  ASSERT_EQ(config->playlist.size(), 2u);
  EXPECT_EQ(config->playlist[0].until, year_month_day(year(2027), February, day(12)));
}

TEST(KioskConfig, ReportsEveryMistakeAtItsPlace) {
  std::vector<checking::Finding> findings;
  const auto config = parse(R"({"content": "p", "trusted_keys": ["k.pub"], "operator_pin": 2468,
      "opening_hours": {"daily": "18:00-09:00", "munday": "closed"},
      "playlist": [{"package": "a/b.pvpkg", "from": "2027-02-30"}, {"package": "c.pvpkg", "from": "2027-02-10", "until": "2027-02-01"}]})",
                            findings);
  EXPECT_FALSE(config);
  const std::string where = locations(findings);
  for (const char* expected : {"operator_pin", "opening_hours.daily", "opening_hours.munday", "playlist[0].package",
                               "playlist[0].from", "playlist[1].until"}) {
    EXPECT_NE(where.find(expected), std::string::npos) << expected << " missing from: " << where;
  }
  for (const checking::Finding& finding : findings) {
    EXPECT_FALSE(finding.message.empty());
    EXPECT_FALSE(finding.message_zh.empty());
  }
}

// The flash limiter is on by default for a show no flash check passed, and only there.
TEST(KioskConfig, TheFlashLimitIsForUncheckedShowsUnlessSetOtherwise) {
  std::vector<checking::Finding> findings;
  const auto plain = parse(R"({"content": "p", "trusted_keys": ["k.pub"], "operator_pin": "2468"})", findings);
  ASSERT_TRUE(plain) << locations(findings);
  EXPECT_EQ(plain->flash_limit, FlashLimit::unchecked);
  EXPECT_TRUE(limits_flashes(FlashLimit::unchecked, true, false));
  EXPECT_FALSE(limits_flashes(FlashLimit::unchecked, true, true)) << "a show that passed the check";
  EXPECT_FALSE(limits_flashes(FlashLimit::unchecked, false, false)) << "a scene without a show";
  EXPECT_TRUE(limits_flashes(FlashLimit::always, false, true));
  EXPECT_FALSE(limits_flashes(FlashLimit::off, true, false));
  for (const auto& [text, expected] : {std::pair{"off", FlashLimit::off}, std::pair{"always", FlashLimit::always},
                                       std::pair{"unchecked", FlashLimit::unchecked}}) {
    const auto config = parse(
        fmt::format(R"({{"content": "p", "trusted_keys": ["k.pub"], "operator_pin": "2468", "flash_limit": "{}"}})", text),
        findings);
    ASSERT_TRUE(config) << text << ": " << locations(findings);
    EXPECT_EQ(config->flash_limit, expected) << text;
  }
  const auto wrong =
      parse(R"({"content": "p", "trusted_keys": ["k.pub"], "operator_pin": "2468", "flash_limit": "never"})", findings);
  EXPECT_FALSE(wrong);
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings.back().location, "flash_limit");
  EXPECT_NE(findings.back().message.find("'never' is not a choice"), std::string::npos) << findings.back().message;
  EXPECT_FALSE(findings.back().message_zh.empty());
}

TEST(KioskConfig, AHubIsANetworkAddressWithATokenFileOrEmbedded) {
  std::vector<checking::Finding> findings;
  const auto remote = parse(R"({"content": "p", "trusted_keys": ["k.pub"], "operator_pin": "2468",
      "telemetry_queue": "events.sqlite",
      "hub": {"url": "https://hub.library.example:8470", "device_id": "branch-12-kiosk-1", "token_file": "token",
              "ca_file": "library-ca.pem"}})",
                            findings);
  ASSERT_TRUE(remote) << locations(findings);
  EXPECT_EQ(remote->hub->url, "https://hub.library.example:8470");
  EXPECT_EQ(remote->hub->ca_file, "/srv/kiosk/library-ca.pem");
  EXPECT_EQ(remote->hub->token_file, "/srv/kiosk/token");
  EXPECT_FALSE(remote->hub->embedded);
  const auto embedded = parse(R"({"content": "p", "trusted_keys": ["k.pub"], "operator_pin": "2468",
      "telemetry_queue": "events.sqlite",
      "hub": {"device_id": "demo", "embedded": {"listen": "127.0.0.1:8471", "database": "hub.sqlite"}}})",
                              findings);
  ASSERT_TRUE(embedded) << locations(findings);
  EXPECT_EQ(embedded->hub->embedded->port, 8471);
  EXPECT_EQ(embedded->hub->embedded->database, "/srv/kiosk/hub.sqlite");
  findings.clear();
  EXPECT_FALSE(parse(R"({"content": "p", "trusted_keys": ["k.pub"], "operator_pin": "2468",
      "hub": {"url": "ftp://hub", "device_id": "kiosk 1"}})",
                     findings));
  const std::string where = locations(findings);
  for (const char* expected : {"hub.url", "hub.device_id", "hub.token_file", "hub "}) {
    EXPECT_NE(where.find(expected), std::string::npos) << expected << " missing from: " << where;
  }
}

TEST(KioskConfig, MalformedJsonSaysWhereAndAKioskWithoutKeysIsRefused) {
  std::vector<checking::Finding> findings;
  EXPECT_FALSE(parse("{\"content\": \"p\",\n \"operator_pin\": \"1234\" \"x\": 1}", findings));
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].location.rfind("line 2", 0), 0u) << findings[0].location;
  findings.clear();
  EXPECT_FALSE(parse(R"({"content": "p", "operator_pin": "1234"})", findings));
  EXPECT_NE(locations(findings).find("trusted_keys"), std::string::npos);
}

TEST(Schedule, OpeningHoursHaveExactBoundaries) {
  OpeningHours hours;
  hours.days.fill({true, 9 * 60, 18 * 60});
  hours.days[Monday.c_encoding()] = {false, 0, 0};
  const auto at = [](const char* iso) { return to_local(*parse_iso8601(iso), minutes(480)); };
  EXPECT_FALSE(hours.is_open(at("2027-02-10T08:59:59+08:00")));  // a Wednesday
  EXPECT_TRUE(hours.is_open(at("2027-02-10T09:00:00+08:00")));
  EXPECT_TRUE(hours.is_open(at("2027-02-10T17:59:59+08:00")));
  EXPECT_FALSE(hours.is_open(at("2027-02-10T18:00:00+08:00")));
  // The UTC instant is 01:30 on the 10th; the library's wall clock says 09:30.
  EXPECT_TRUE(hours.is_open(at("2027-02-10T01:30:00Z")));
  EXPECT_FALSE(hours.is_open(at("2027-02-15T10:00:00+08:00")));  // Monday: closed
  const auto next = hours.next_opening(at("2027-02-14T19:00:00+08:00"));  // Sunday evening
  ASSERT_TRUE(next);
  EXPECT_EQ(next->first, Tuesday);
  EXPECT_EQ(next->second, 9u * 60);
}

TEST(Schedule, CampaignsIncludeTheirFirstAndLastDays) {
  PlaylistEntry festival{"festival.pvpkg", year_month_day(year(2027), January, day(20)),
                         year_month_day(year(2027), February, day(12))};
  EXPECT_FALSE(festival.active_on(year_month_day(year(2027), January, day(19))));
  EXPECT_TRUE(festival.active_on(year_month_day(year(2027), January, day(20))));
  EXPECT_TRUE(festival.active_on(year_month_day(year(2027), February, day(12))));
  EXPECT_FALSE(festival.active_on(year_month_day(year(2027), February, day(13))));
  EXPECT_TRUE(PlaylistEntry{"always.pvpkg"}.active_on(year_month_day(year(1999), January, day(1))));
}

TEST(VisitorSession, CountsDownAfterSilenceAndEndsUnlessTouched) {
  VisitorSession session(60, 15);
  EXPECT_EQ(session.update(5), VisitorSession::Change::none);
  EXPECT_EQ(session.touch(10), VisitorSession::Change::started);
  EXPECT_EQ(session.update(69.9), VisitorSession::Change::none);
  EXPECT_EQ(session.update(70), VisitorSession::Change::countdown_started);
  EXPECT_EQ(session.phase(), VisitorSession::Phase::still_there);
  EXPECT_NEAR(session.seconds_left(72), 13.0, 1e-9);
  EXPECT_EQ(session.touch(74), VisitorSession::Change::none);  // still here: back to exploring
  EXPECT_EQ(session.phase(), VisitorSession::Phase::active);
  EXPECT_EQ(session.update(134), VisitorSession::Change::countdown_started);
  EXPECT_EQ(session.update(149), VisitorSession::Change::ended_by_timeout);
  EXPECT_FALSE(session.active());
  EXPECT_EQ(session.touch(200), VisitorSession::Change::started);
  EXPECT_EQ(session.sessions_started(), 2u);
}

TEST(VisitScript, ParsesStepsAndRefusesUnknownOnes) {
  std::vector<checking::Finding> findings;
  const auto script = parse_visit_script(R"({"start": "2027-01-28T10:00:00+08:00", "frame_seconds": 0.25, "steps": [
      {"wait": 2}, {"tap": "begin"}, {"tap": [10, 20]}, {"screenshot": "a.png"}, {"expect": "home"},
      {"repeat": {"times": 3, "steps": [{"wait": 1}]}}, {"lose_device": true}]})",
                                         "visit.json", findings);
  ASSERT_TRUE(script) << locations(findings);
  EXPECT_EQ(script->start, sys_days(year_month_day(year(2027), January, day(28))) + hours(2));
  ASSERT_EQ(script->steps.size(), 7u);
  EXPECT_EQ(std::get<RepeatStep>(script->steps[5]).times, 3u);
  EXPECT_EQ(std::get<TapStep>(script->steps[2]).y, 20.0f);

  findings.clear();
  EXPECT_FALSE(parse_visit_script(R"({"steps": [{"wait": 1}, {"jump": 3}, {"tap": {}}]})", "visit.json", findings));
  EXPECT_EQ(locations(findings), "steps[1].jump steps[2].tap ");
}

// A pinch names where (a control or a point), how far apart the two fingers start and end, and
// optionally how long it takes; a mistake is found at its field.
TEST(VisitScript, APinchTakesAPlaceTwoSpacingsAndAPace) {
  std::vector<checking::Finding> findings;
  const auto script = parse_visit_script(R"({"steps": [{"pinch": {"at": "book:opening", "from": 40, "to": 120, "seconds": 0.8}},
      {"pinch": {"at": [300, 200], "from": 200, "to": 50}}]})",
                                         "visit.json", findings);
  ASSERT_TRUE(script) << locations(findings);
  ASSERT_EQ(script->steps.size(), 2u);
  const auto& spread = std::get<PinchStep>(script->steps[0]);
  EXPECT_EQ(spread.control, "book:opening");
  EXPECT_EQ(spread.from, 40.0f);
  EXPECT_EQ(spread.to, 120.0f);
  EXPECT_EQ(spread.seconds, 0.8);
  const auto& closed = std::get<PinchStep>(script->steps[1]);
  EXPECT_TRUE(closed.control.empty());
  EXPECT_EQ(closed.x, 300.0f);
  EXPECT_EQ(closed.y, 200.0f);
  EXPECT_EQ(closed.to, 50.0f);
  EXPECT_EQ(closed.seconds, 0.5);

  findings.clear();
  EXPECT_FALSE(parse_visit_script(R"({"steps": [{"pinch": {"at": "book:opening", "from": 40}},
      {"pinch": {"at": {}, "from": 40, "to": 80}}, {"pinch": {"at": [1, 2], "from": 0, "to": 80}}]})",
                                  "visit.json", findings));
  EXPECT_EQ(locations(findings), "steps[0].pinch steps[1].pinch.at steps[2].pinch.from steps[2].pinch ");
}

TEST(Palette, EveryTextMeetsWcagAaContrast) {
  for (const bool high : {false, true}) {
    const Palette& colors = palette(high);
    EXPECT_GE(contrast_ratio(colors.text, colors.panel), 4.5) << high;
    EXPECT_GE(contrast_ratio(colors.muted_text, colors.panel), 4.5) << high;
    EXPECT_GE(contrast_ratio(colors.button_text, colors.button), 4.5) << high;
    EXPECT_GE(contrast_ratio(colors.accent_text, colors.accent), 4.5) << high;
  }
  EXPECT_GE(contrast_ratio(palette(true).text, palette(true).panel), 7.0);  // AAA for low vision
  EXPECT_NEAR(contrast_ratio(0xffffff, 0x000000), 21.0, 1e-9);
}

TEST(Strings, EveryTextHasBothLanguages) {
  for (int id = 0; id < static_cast<int>(Text::count); ++id) {
    EXPECT_FALSE(text(static_cast<Text>(id), Language::zh_cn).empty()) << id;
    EXPECT_FALSE(text(static_cast<Text>(id), Language::en).empty()) << id;
  }
  EXPECT_NE(all_interface_text().find("触摸屏幕"), std::string::npos);
}

// The manifest's flash check counts only as a boolean: a string or a number there (a hand-edited
// manifest) is unchecked and logged, where value("passed", false) threw and ended start-up.
TEST(KioskContent, AFlashCheckPassedThatIsNotABooleanCountsAsUncheckedAndIsLogged) {
  std::vector<std::string> warnings;
  log::set_sink([&](log::Level level, std::string_view line) {
    if (level == log::Level::warn) warnings.emplace_back(line);
  });
  const std::filesystem::path file = "/srv/kiosk/content/lanterns.pvpkg";
  EXPECT_TRUE(flash_check_passed(R"({"flash_check": {"passed": true}})", file));
  EXPECT_FALSE(flash_check_passed(R"({"flash_check": {"passed": false}})", file));
  EXPECT_FALSE(flash_check_passed(R"({"id": "lanterns"})", file));
  EXPECT_FALSE(flash_check_passed(R"({"flash_check": {}})", file));
  EXPECT_FALSE(flash_check_passed("not json", file));
  EXPECT_TRUE(warnings.empty());
  EXPECT_FALSE(flash_check_passed(R"({"flash_check": {"passed": "yes"}})", file));
  EXPECT_FALSE(flash_check_passed(R"({"flash_check": {"passed": 1}})", file));
  log::set_sink(nullptr);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("lanterns.pvpkg: the manifest's flash_check.passed is a string"), std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[1].find("flash_check.passed 不是 true 或 false"), std::string::npos) << warnings[1];
}

}  // namespace
}  // namespace pavilion::kiosk
