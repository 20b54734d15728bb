#include "fault_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace pavilion::testing {
namespace {

constexpr std::string_view prefix = "/v1/repository/";

bool send_all(int connection, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(connection, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

// The value of header `name` (lower case) in a request's head, or "".
std::string header_value(const std::string& head, std::string_view name) {
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const size_t at = lower.find("\r\n" + std::string(name) + ":");
  if (at == std::string::npos) return "";
  size_t start = at + 3 + name.size();
  while (start < head.size() && head[start] == ' ') ++start;
  return head.substr(start, head.find("\r\n", start) - start);
}

}  // namespace

FaultServer::FaultServer() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("the fault server could not listen on loopback");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FaultServer::~FaultServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  thread_.join();
  ::close(listener_);
}

std::string FaultServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FaultServer::put(const std::string& name, std::string bytes) {
  std::lock_guard lock(mutex_);
  files_[name] = std::move(bytes);
}

void FaultServer::cut_at(std::optional<uint64_t> offset) {
  std::lock_guard lock(mutex_);
  faults_.cut_at = offset;
}

void FaultServer::send_extra(uint64_t bytes) {
  std::lock_guard lock(mutex_);
  faults_.extra = bytes;
}

void FaultServer::corrupt_at(std::optional<uint64_t> offset) {
  std::lock_guard lock(mutex_);
  faults_.corrupt_at = offset;
}

void FaultServer::ignore_range(bool ignore) {
  std::lock_guard lock(mutex_);
  faults_.ignore_range = ignore;
}

void FaultServer::answer_status(std::optional<int> status) {
  std::lock_guard lock(mutex_);
  faults_.status = status;
}

void FaultServer::trickle(uint64_t bytes, std::chrono::milliseconds pause) {
  std::lock_guard lock(mutex_);
  faults_.trickle_bytes = bytes;
  faults_.trickle_pause = pause;
}

std::vector<std::pair<std::string, std::string>> FaultServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<std::string> FaultServer::request_heads() const {
  std::lock_guard lock(mutex_);
  return request_heads_;
}

bool FaultServer::send_answer(int connection, std::string_view bytes, const Faults& faults) {
  if (faults.trickle_bytes == 0) return send_all(connection, bytes);
  while (!bytes.empty()) {
    const size_t piece = static_cast<size_t>(std::min<uint64_t>(faults.trickle_bytes, bytes.size()));
    if (!send_all(connection, bytes.substr(0, piece))) return false;
    bytes.remove_prefix(piece);
    std::this_thread::sleep_for(faults.trickle_pause);
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
  }
  return true;
}

void FaultServer::serve() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, 20) <= 0) continue;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    converse(connection);
    ::close(connection);
  }
}

void FaultServer::converse(int connection) {
  std::string received;
  for (;;) {
    const size_t end = received.find("\r\n\r\n");
    if (end == std::string::npos) {
      pollfd waiting{connection, POLLIN, 0};
      if (::poll(&waiting, 1, 20) <= 0) {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        continue;
      }
      char piece[4096];
      const ssize_t count = ::recv(connection, piece, sizeof piece, 0);
      if (count <= 0) return;
      received.append(piece, static_cast<size_t>(count));
      continue;
    }
    const std::string head = received.substr(0, end + 2);
    received.erase(0, end + 4);  // GET requests only: no body follows
    const size_t target_start = head.find(' ') + 1;
    const std::string target = head.substr(target_start, head.find(' ', target_start) - target_start);
    const std::string range = header_value(head, "range");
    {
      std::lock_guard lock(mutex_);
      requests_.emplace_back(target, range);
      request_heads_.push_back(head);
    }
    if (!answer(connection, target, range)) return;
  }
}

bool FaultServer::answer(int connection, const std::string& target, const std::string& range) {
  Faults faults;
  std::optional<std::string> file;
  {
    std::lock_guard lock(mutex_);
    faults = faults_;
    if (target.starts_with(prefix)) {
      if (const auto found = files_.find(target.substr(prefix.size())); found != files_.end()) file = found->second;
    }
  }
  if (faults.status || !file) {
    const int status = faults.status.value_or(404);
    const std::string body = "no such file\n";
    return send_all(connection, "HTTP/1.1 " + std::to_string(status) + " Refused\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  const uint64_t size = file->size();
  uint64_t start = 0;
  if (!range.empty() && !faults.ignore_range) {
    // Only the form clients here send: "bytes=K-".
    const std::string_view from = std::string_view(range).substr(6, range.size() - 7);
    std::from_chars(from.data(), from.data() + from.size(), start);
    if (start >= size) {
      return send_all(connection, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" +
                                      std::to_string(size) + "\r\nContent-Length: 0\r\n\r\n");
    }
  }
  if (faults.corrupt_at && *faults.corrupt_at < size) (*file)[*faults.corrupt_at] ^= 0x5a;
  std::string body = file->substr(start) + std::string(faults.extra, 'x');
  std::string head = start > 0 ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + std::to_string(start) + "-" +
                                     std::to_string(size - 1) + "/" + std::to_string(size) + "\r\n"
                               : "HTTP/1.1 200 OK\r\n";
  head += "Accept-Ranges: bytes\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  if (faults.cut_at && *faults.cut_at >= start && *faults.cut_at < start + body.size()) {
    send_answer(connection, head + body.substr(0, *faults.cut_at - start), faults);
    ::shutdown(connection, SHUT_RDWR);
    return false;
  }
  return send_answer(connection, head + body, faults);
}

}  // namespace pavilion::testing
