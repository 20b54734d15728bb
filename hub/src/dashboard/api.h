// The dashboard's /api routes (hub/DASHBOARD.md, "Endpoints"): signing in and out, the filters,
// the views and their CSV exports, and the audit log. People are who open them: a browser's
// session cookie, never a kiosk's or the admin's token. HubServer hands every /api/ request here.
#pragma once

#include "pavilion/hub/config.h"
#include "pavilion/hub/store.h"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace pavilion::hub {

class DashboardApi {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  // `store` and `config` must outlive this; `now_ms` is the clock for sessions, lockouts, the
  // audit log and the default period (tests move it). `tls`: the hub speaks HTTPS, so its
  // cookie is Secure.
  DashboardApi(const HubConfig& config, Store& store, std::function<int64_t()> now_ms, bool tls);

  // Answers a request whose path starts with /api/. `route` is set to a label for /metrics that
  // does not grow with what clients send. Safe to call from several threads at once.
  Response handle(const Request& request, std::string& route) const;

 private:
  struct Caller;
  const HubConfig& config_;
  Store& store_;
  std::function<int64_t()> now_ms_;
  bool tls_;

  Response sign_in(const Request& request) const;
  Response session(const Request& request, const Caller& caller) const;
  Response sign_out(const Request& request, const Caller& caller) const;
  Response filters(const Request& request, const Caller& caller) const;
  Response view(const Request& request, const Caller& caller, std::string_view rest, std::string& route) const;
  Response audit_log(const Request& request, const Caller& caller) const;
  void audit(std::string_view user, std::string_view action, std::string detail) const;
};

}  // namespace pavilion::hub
