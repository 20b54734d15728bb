// A loopback HTTP/1.1 server for transfer tests: serves files held in memory under
// /v1/repository/, honours `Range: bytes=K-` (206, 416), keeps connections alive, and misbehaves
// when told to, as a failing network or a broken or hostile server would. One connection at a
// time, on its own thread; plain sockets, so what it sends is exactly what the test asked for.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pavilion::testing {

class FaultServer {
 public:
  FaultServer();  // listening on 127.0.0.1, a port of the system's choosing
  ~FaultServer();
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT"
  // Serves `bytes` at /v1/repository/NAME.
  void put(const std::string& name, std::string bytes);

  // Misbehaviours, for every answer from now until changed:
  void cut_at(std::optional<uint64_t> offset);      // closes the connection when the body reaches this byte of the file
  void send_extra(uint64_t bytes);                  // sends this many bytes more than the file (Content-Length counts them)
  void corrupt_at(std::optional<uint64_t> offset);  // sends this byte of the file altered
  void ignore_range(bool ignore);                   // answers a range request with 200 and the whole file
  void answer_status(std::optional<int> status);    // answers every request with this status and a short body
  // Sends each answer `bytes` at a time, pausing `pause` after each piece (a slow or hostile
  // server); 0 bytes: all at once.
  void trickle(uint64_t bytes, std::chrono::milliseconds pause);

  // The requests so far: target and Range header ("" when none).
  std::vector<std::pair<std::string, std::string>> requests() const;
  // The same requests' whole heads, as sent.
  std::vector<std::string> request_heads() const;

 private:
  struct Faults {
    std::optional<uint64_t> cut_at, corrupt_at;
    uint64_t extra = 0;
    bool ignore_range = false;
    std::optional<int> status;
    uint64_t trickle_bytes = 0;
    std::chrono::milliseconds trickle_pause{0};
  };
  // Sends `bytes` as the faults say (in trickled pieces, or at once); false on a failed send or when stopping.
  bool send_answer(int connection, std::string_view bytes, const Faults& faults);
  void serve();
  // Answers requests on one connection until the client closes it (or a cut does); false when stopping.
  void converse(int connection);
  // Sends one answer; false when the connection is to be closed.
  bool answer(int connection, const std::string& target, const std::string& range);

  int listener_ = -1;
  uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> files_;
  Faults faults_;
  std::vector<std::pair<std::string, std::string>> requests_;
  std::vector<std::string> request_heads_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pavilion::testing
