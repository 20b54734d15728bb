// Recognition with Debian's tesseract command: one child process (content_tools/bounded_child)
// under the caller's time and memory limits starts tesseract, reads its hOCR from a pipe and
// sends it back; a tesseract left running by a killed child dies with it (PR_SET_PDEATHSIG).
#include "pavilion/bounded_child/bounded_child.h"
#include "pavilion/page_text/page_text.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pavilion::page_text {
namespace {

// More hOCR than any page makes; a tesseract writing beyond it is stopped.
constexpr size_t most_output_bytes = size_t{64} << 20;
constexpr size_t most_message_bytes = size_t{64} << 10;

// `program` as execv needs it: a path as given, a name found in PATH; empty when there is none.
std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0 ? program : "";
  const char* path = std::getenv("PATH");
  std::string_view folders = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!folders.empty()) {
    const size_t colon = folders.find(':');
    const std::string candidate = fmt::format("{}/{}", folders.substr(0, colon), program);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    folders = colon == std::string_view::npos ? std::string_view() : folders.substr(colon + 1);
  }
  return "";
}

// What the child sends back: tesseract's exit status, then the sizes and bytes of its standard
// output (the hOCR) and standard error.
struct Run {
  int status = 0;
  std::string output;
  std::string messages;
};

std::vector<std::byte> encode(const Run& run) {
  const uint64_t sizes[] = {run.output.size(), run.messages.size()};
  std::string text;
  text.append(reinterpret_cast<const char*>(&run.status), sizeof run.status);
  text.append(reinterpret_cast<const char*>(sizes), sizeof sizes);
  text += run.output;
  text += run.messages;
  const auto* first = reinterpret_cast<const std::byte*>(text.data());
  return std::vector<std::byte>(first, first + text.size());
}

std::optional<Run> decode(const std::vector<std::byte>& bytes) {
  Run run;
  uint64_t sizes[2] = {};
  if (bytes.size() < sizeof run.status + sizeof sizes) return std::nullopt;
  std::memcpy(&run.status, bytes.data(), sizeof run.status);
  std::memcpy(sizes, bytes.data() + sizeof run.status, sizeof sizes);
  const size_t start = sizeof run.status + sizeof sizes;
  if (sizes[0] > bytes.size() - start || sizes[1] != bytes.size() - start - sizes[0]) return std::nullopt;
  const auto* text = reinterpret_cast<const char*>(bytes.data() + start);
  run.output.assign(text, sizes[0]);
  run.messages.assign(text + sizes[0], sizes[1]);
  return run;
}

// In the bounded child (one thread): starts tesseract and collects what it writes.
Run run_tesseract(const std::vector<std::string>& arguments) {
  Run run;
  int output[2];
  int messages[2];
  if (::pipe2(output, O_CLOEXEC) != 0 || ::pipe2(messages, O_CLOEXEC) != 0) {
    run.status = -1;
    run.messages = fmt::format("creating a pipe: {}", std::strerror(errno));
    return run;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(output[1], STDOUT_FILENO);
    ::dup2(messages[1], STDERR_FILENO);
    // One thread: the pack tool runs several pages at once, and Tesseract's own threads slow it
    // down when the cores are already busy (its authors' advice).
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    std::vector<char*> argv;
    for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    const std::string failure = fmt::format("starting {}: {}\n", arguments[0], std::strerror(errno));
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, failure.data(), failure.size());
    ::_exit(127);
  }
  ::close(output[1]);
  ::close(messages[1]);
  if (pid < 0) {
    ::close(output[0]);
    ::close(messages[0]);
    run.status = -1;
    run.messages = fmt::format("starting {}: {}", arguments[0], std::strerror(errno));
    return run;
  }
  pollfd streams[] = {{output[0], POLLIN, 0}, {messages[0], POLLIN, 0}};
  std::string* into[] = {&run.output, &run.messages};
  const size_t most[] = {most_output_bytes, most_message_bytes};
  int open_streams = 2;
  char buffer[65536];
  while (open_streams > 0) {
    if (::poll(streams, 2, -1) < 0 && errno != EINTR) break;
    for (size_t index = 0; index < 2; ++index) {
      if (streams[index].fd < 0 || streams[index].revents == 0) continue;
      const ssize_t count = ::read(streams[index].fd, buffer, sizeof buffer);
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) {
        ::close(streams[index].fd);
        streams[index].fd = -1;
        --open_streams;
        continue;
      }
      const size_t room = most[index] - std::min(most[index], into[index]->size());
      into[index]->append(buffer, std::min(room, static_cast<size_t>(count)));
      if (index == 0 && static_cast<size_t>(count) > room) ::kill(pid, SIGKILL);
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const size_t newline = text.find_last_of('\n');
  return std::string(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

Error recognition_error(const std::filesystem::path& image, ErrorCode code, std::string english, std::string chinese) {
  return Error(code, fmt::format("recognising the text of the page {}", image),
               fmt::format("{} / {}", english, chinese));
}

}  // namespace

Result<PageText> recognise(const std::filesystem::path& image, const RecognitionOptions& options) {
  PV_TRY_ASSIGN(const std::string language, tesseract_language(options.language, options.direction));
  const std::string package = fmt::format("tesseract-ocr-{}", [&] {
    std::string name = language;
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
  }());
  const std::string program = find_program(options.program);
  if (program.empty()) {
    return recognition_error(
        image, ErrorCode::not_found,
        fmt::format("the program {} is not installed; install Debian's tesseract-ocr and {} (scripts/setup does), "
                    "or supply the page's text as ALTO or hOCR",
                    options.program, package),
        fmt::format("未安装程序 {}；请安装 Debian 的 tesseract-ocr 和 {}（scripts/setup 会安装），或以 ALTO 或 hOCR "
                    "提供页面文字",
                    options.program, package));
  }
  std::error_code missing;
  if (!std::filesystem::is_regular_file(image, missing)) {
    return recognition_error(image, ErrorCode::not_found, "the page image does not exist", "页面图像不存在");
  }
  // Page segmentation: automatic for horizontal pages; vertical pages as one block of vertical
  // columns, which Tesseract's own layout analysis splits into horizontal fragments otherwise.
  const std::string segmentation = options.direction == WritingDirection::vertical_right_to_left ? "5" : "3";
  const std::vector<std::string> arguments = {program,  image.string(), "stdout",     "-l",
                                              language, "--psm",        segmentation, "hocr"};
  const bounded_child::ChildLimits limits{options.memory_bytes, options.wall_time, options.wall_time};
  auto outcomes =
      bounded_child::run_in_children(1, 1, limits, [&](size_t) { return encode(run_tesseract(arguments)); });
  auto& outcome = outcomes.front();
  if (!outcome)
    return std::move(outcome).error().add_context(fmt::format("recognising the text of the page {}", image));
  switch (outcome->end) {
    case bounded_child::ChildEnd::finished:
      break;
    case bounded_child::ChildEnd::out_of_memory:
      return recognition_error(
          image, ErrorCode::out_of_memory,
          fmt::format("tesseract needed more than {} MiB of memory on it; make the image smaller",
                      options.memory_bytes >> 20),
          fmt::format("tesseract 处理该图像需要超过 {} MiB 内存；请缩小图像", options.memory_bytes >> 20));
    case bounded_child::ChildEnd::out_of_cpu_time:
    case bounded_child::ChildEnd::out_of_wall_time:
      return recognition_error(
          image, ErrorCode::io,
          fmt::format("tesseract did not finish within {} s; make the image smaller or supply "
                      "the text as ALTO or hOCR",
                      options.wall_time.count()),
          fmt::format("tesseract 未在 {} 秒内完成；请缩小图像或以 ALTO 或 hOCR 提供文字", options.wall_time.count()));
    case bounded_child::ChildEnd::crashed:
      return recognition_error(image, ErrorCode::io, fmt::format("recognition ended abnormally ({})", outcome->crash),
                               fmt::format("识别异常结束（{}）", outcome->crash));
  }
  const auto run = decode(outcome->output);
  if (!run)
    return recognition_error(image, ErrorCode::internal, "the recognition's result came back damaged",
                             "识别结果返回时已损坏");
  if (run->status != 0) {
    if (run->messages.find("Failed loading language") != std::string::npos ||
        run->messages.find("Error opening data file") != std::string::npos) {
      return recognition_error(
          image, ErrorCode::not_found,
          fmt::format("Tesseract has no data for the language {}; install Debian's {} (scripts/setup does)", language,
                      package),
          fmt::format("Tesseract 缺少语言 {} 的数据；请安装 Debian 的 {}（scripts/setup 会安装）", language, package));
    }
    return recognition_error(
        image, ErrorCode::io,
        fmt::format("tesseract failed (exit status {}): {}", run->status, last_line(run->messages)),
        fmt::format("tesseract 失败（退出状态 {}）：{}", run->status, last_line(run->messages)));
  }
  return read_hocr(run->output, fmt::format("{} (tesseract's hOCR)", image.string()), {});
}

}  // namespace pavilion::page_text
