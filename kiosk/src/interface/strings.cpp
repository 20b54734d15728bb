#include "pavilion/kiosk/strings.h"

#include "interface/text_table.h"

#include <array>

namespace pavilion::kiosk {
namespace {

constexpr TextTable<Text> interface_table{{
    {"触摸屏幕，开始参观", "Touch the screen to begin"},
    {"欢迎", "Welcome"},
    {"请选择展品", "Choose an exhibit"},
    {"首页", "Home"},
    {"结束参观", "End visit"},
    {"上一件", "Previous"},
    {"下一件", "Next"},
    {"English", "中文"},
    {"无障碍", "Accessibility"},
    {"文字大小", "Text size"},
    {"高对比度", "High contrast"},
    {"口述影像", "Audio descriptions"},
    {"平静模式（减少动态）", "Calm mode (less motion)"},
    {"坐姿高度", "Seated height"},
    {"完成", "Done"},
    {"口述影像", "Audio description"},
    {"作者", "Creator"},
    {"年代", "Date"},
    {"版权", "Rights"},
    {"编号", "Identifier"},
    {"正在载入……", "Loading…"},
    {"您还在吗？", "Are you still there?"},
    {"{} 秒后返回首页", "Returning to the start in {} seconds"},
    {"继续参观", "Keep exploring"},
    {"本区域现在不开放", "This area is closed now"},
    {"开放时间：{} {}", "Opens {} at {}"},
    {"请输入管理密码", "Enter the operator PIN"},
    {"密码不正确", "That PIN is not right"},
    {"尝试次数过多，请稍后再试", "Too many tries; wait a few minutes"},
    {"取消", "Cancel"},
    {"清除", "Clear"},
    {"管理员菜单", "Operator menu"},
    {"重新载入内容", "Reload content"},
    {"测试图案", "Test pattern"},
    {"重新启动", "Restart"},
    {"关闭", "Close"},
    {"暂无可展示的内容，请联系工作人员。", "There is nothing to show yet; please ask the library staff."},
    {"磁盘剩余 {:.1f} GB，共 {:.1f} GB", "Disk free: {:.1f} GB of {:.1f} GB"},
    {"上次上传", "Last upload"},
    {"未连接馆内服务器", "no hub configured"},
    {"尚未上传，{} 条待传", "not yet, {} waiting"},
    {"{} 分钟前，{} 条待传", "{} min ago, {} waiting"},
    {"上传失败，已连续重试 {} 次；{} 条待传", "failing, {} attempts in a row; {} waiting"},
    {"服务器拒绝了本机的令牌，请重新登记本机（pavilion-hub enrol）", "the hub refused this kiosk's token: enrol it again (pavilion-hub enrol)"},
    {"{} 条事件被服务器拒收，已另存于 {}", "{} events refused by the hub, kept aside in {}"},
    {"场景包：{} 个在用，{} 个已跳过", "Packages: {} shown, {} skipped"},
    {"在展", "in season"},
    {"不在展期", "out of season"},
    {"互动记录：已记录 {}，已写入 {}，已丢弃 {}", "Interaction log: {} recorded, {} written, {} dropped"},
    {"互动记录：未启用", "Interaction log: off"},
    {"仅声音模式（朗读诗词）", "Audio-only mode (poems read aloud)"},
    {"朗诵", "Recite"},
    {"暂停", "Pause"},
    {"继续", "Resume"},
    {"重播", "Replay"},
    {"拼音", "Pinyin"},
    {"英译", "Translation"},
    {"朝代", "Dynasty"},
    {"字体：{}（{}）", "Font: {} ({})"},
    {"中间：暂停或继续 · 左侧：上一首 · 右侧：下一首", "Middle: pause or resume · Left: previous poem · Right: next poem"},
}};

constexpr std::array<TextPair, 7> weekdays{{
    {"周日", "Sunday"},
    {"周一", "Monday"},
    {"周二", "Tuesday"},
    {"周三", "Wednesday"},
    {"周四", "Thursday"},
    {"周五", "Friday"},
    {"周六", "Saturday"},
}};

}  // namespace

std::string_view text(Text id, Language language) { return text_in(interface_table, id, language); }

std::string_view weekday_name(unsigned weekday, Language language) { return in_language(weekdays[weekday % 7], language); }

std::string all_interface_text() {
  std::string all = "0123456789:%×+−-—·…◀▶●○";
  append_texts(all, interface_table);
  append_texts(all, weekdays);
  return all;
}

}  // namespace pavilion::kiosk
