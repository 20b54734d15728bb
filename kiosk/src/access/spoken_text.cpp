#include "access/spoken_text.h"

#include "interface/text_table.h"
#include "touch/widgets.h"

#include <fmt/format.h>


namespace pavilion::kiosk {
namespace {

constexpr TextTable<Spoken> spoken_table{{
    {"欢迎参观。触摸屏幕，或按键盘上任意一个键，开始参观。上下键选择，确认键打开，帮助键听说明。",
     "Welcome. To begin, touch the screen or press any key. Up and down move between items, select opens one, "
     "help tells you what you can do."},
    {"开始参观", "Start the visit"},
    {"首页，请选择展品", "Home: choose an exhibit"},
    {"展品：{}", "Exhibit: {}"},
    {"{}，{}", "{}, {}"},
    {"无障碍设置", "Accessibility settings"},
    {"管理员密码", "Operator PIN"},
    {"管理员菜单", "Operator menu"},
    {"测试图案", "Test pattern"},
    {"欢迎画面。触摸屏幕或按任意键开始参观。", "The welcome screen. Touch the screen or press any key to begin."},
    {"首页，展品一览。上下键逐个听展品名称，确认键打开展品；还可以切换语言、打开无障碍设置或结束参观。帮助键随时听说明。",
     "Home, the list of exhibits. Up and down read them one by one, select opens one; you can also switch the "
     "language, open the accessibility settings or end your visit. Help tells you this again."},
    {"展品画面：{}。上下键选择按钮，确认键使用，返回键回到首页。",
     "Exhibit: {}. Up and down move between its buttons, select uses one, back returns home."},
    {"无障碍设置：文字大小、高对比度、口述影像、平静模式、坐姿高度、仅声音模式、低位布局、字幕、简明模式和更多时间。"
     "上下键选择，确认键切换所选项，返回键关闭设置。",
     "Accessibility settings: text size, high contrast, audio descriptions, calm mode, seated height, audio-only "
     "mode, lower layout, captions, simple mode and more time. Up and down move between them, select changes the "
     "one you are on, back closes the settings."},
    {"管理员画面，供图书馆工作人员使用。返回键离开。", "An operator screen, for the library's staff. Back leaves it."},
    {"本区域现在不开放。", "This area is closed now."},
    {"您还在吗？{} 秒后返回首页。按任意键或触摸屏幕继续参观。",
     "Are you still there? Returning to the start in {} seconds. Press any key or touch the screen to keep exploring."},
    {"语言：切换到英文", "Language: switch to Chinese"},
    {"现在是中文", "English now"},
    {"{}，已打开", "{}, on"},
    {"{}，已关闭", "{}, off"},
    {"文字缩小，现在 {}%", "Smaller text, now {} percent"},
    {"文字放大，现在 {}%", "Larger text, now {} percent"},
    {"上一页，第 {} 页，共 {} 页", "Previous page, page {} of {}"},
    {"下一页，第 {} 页，共 {} 页", "Next page, page {} of {}"},
    {"听口述影像", "Hear the audio description"},
    {"这件展品没有口述影像", "This exhibit has no audio description"},
    {"返回管理员菜单", "Back to the operator menu"},
    {"音量 {}%", "Volume {} percent"},
    {"回到开头：{}", "Back to the top: {}"},
    {"到了最后：{}", "At the bottom: {}"},
    {"这里没有按钮", "Nothing here"},
}};

}  // namespace

std::string_view spoken(Spoken id, Language language) { return text_in(spoken_table, id, language); }

std::string_view card_words(std::array<char, 512>& words, const scene::Exhibit& exhibit, Language language) {
  const std::string& title = pick(exhibit.metadata.title, language);
  const std::string& creator = pick(exhibit.metadata.creator, language);
  if (creator.empty()) return title;
  return label(words, fmt::runtime(spoken(Spoken::card, language)), title, creator);
}

std::string all_spoken_text() {
  std::string all;
  append_texts(all, spoken_table);
  return all;
}

}  // namespace pavilion::kiosk
