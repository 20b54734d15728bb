// The dashboard's files as the hub serves them: the pages and assets with their types, caching
// and security headers, nothing outside the web folder whatever the path says, 404 for the rest;
// and the same through a running hub.
#include "temporary_folder.h"
#include "web_files.h"

#include "pavilion/http/client.h"
#include "pavilion/hub/server.h"

#include <gtest/gtest.h>

#include <fstream>

namespace pavilion::hub {
namespace {

namespace http = boost::beast::http;

void write(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class WebFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write(root() / "index.html", "<!doctype html><title>dashboard</title>");
    write(root() / "summary.html", "<!doctype html><title>summary</title>");
    write(root() / "assets" / "app.js", "export const answer = 42;");
    write(root() / "assets" / "dashboard.css", "body { color: #1a1a1a; }");
    write(root() / "assets" / "favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write(root() / "assets" / ".hidden.js", "hidden");
    write(root() / "assets" / "notes.unknown", "no type");
    write(root() / "assets" / "nested" / "deep.js", "nested");
    write(folder_ / "secret.txt", "the hub's database password");
    write(root() / "assets" / "secret.txt.js", "a plain asset");
  }
  std::filesystem::path root() const { return folder_ / "web"; }

  std::optional<http::response<http::string_body>> get(std::string target, std::string if_none_match = {},
                                                       http::verb method = http::verb::get) {
    http::request<http::string_body> request(method, target, 11);
    if (!if_none_match.empty()) request.set(http::field::if_none_match, if_none_match);
    return serve_web_file(request, root());
  }

  testing::TemporaryFolder folder_;
};

TEST_F(WebFilesTest, ServesThePagesAndAssetsWithTheirTypes) {
  struct Expected {
    std::string target, body, type;
  };
  for (const Expected& expected : std::initializer_list<Expected>{
           {"/", "<!doctype html><title>dashboard</title>", "text/html; charset=utf-8"},
           {"/index.html", "<!doctype html><title>dashboard</title>", "text/html; charset=utf-8"},
           {"/?view=when&from=2026-11-01", "<!doctype html><title>dashboard</title>", "text/html; charset=utf-8"},
           {"/summary.html?month=2026-11", "<!doctype html><title>summary</title>", "text/html; charset=utf-8"},
           {"/assets/app.js", "export const answer = 42;", "text/javascript; charset=utf-8"},
           {"/assets/dashboard.css", "body { color: #1a1a1a; }", "text/css; charset=utf-8"},
           {"/assets/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "image/svg+xml"}}) {
    const auto response = get(expected.target);
    ASSERT_TRUE(response) << expected.target;
    EXPECT_EQ(response->result(), http::status::ok) << expected.target;
    EXPECT_EQ(response->body(), expected.body) << expected.target;
    EXPECT_EQ((*response)[http::field::content_type], expected.type) << expected.target;
    EXPECT_EQ((*response)[http::field::cache_control], "no-cache") << expected.target;
  }
}

TEST_F(WebFilesTest, EveryAnswerCarriesTheSecurityHeaders) {
  for (const std::string target : {"/", "/assets/app.js", "/assets/missing.js"}) {
    const auto response = get(target);
    ASSERT_TRUE(response);
    const std::string_view policy = (*response)["Content-Security-Policy"];
    EXPECT_NE(policy.find("script-src 'self';"), std::string_view::npos) << policy;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string_view::npos) << policy;
    EXPECT_EQ(policy.find("unsafe-inline"), std::string_view::npos) << policy;
    EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ((*response)["Referrer-Policy"], "no-referrer");
    EXPECT_EQ((*response)["X-Frame-Options"], "DENY");
  }
}

TEST_F(WebFilesTest, NoPathLeavesTheAssetsFolder) {
  for (const std::string target :
       {"/assets/../secret.txt", "/assets/../../secret.txt", "/assets/..%2fsecret.txt", "/assets/%2e%2e/secret.txt",
        "/assets/..%2F..%2Fsecret.txt", "/assets//etc/passwd", "/assets/nested/deep.js", "/assets/.hidden.js",
        "/assets/", "/assets/..", "/assets/.", "/assets/..\\secret.txt", "/assets/%00app.js"}) {
    const auto response = get(target);
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->result(), http::status::not_found) << target;
    EXPECT_EQ(response->body().find("password"), std::string::npos) << target;
  }
  // Only the three page paths and /assets/ are the dashboard's; anything else is the API's to answer.
  EXPECT_FALSE(get("/../secret.txt"));
  EXPECT_FALSE(get("/summary.html/../secret.txt"));
  EXPECT_FALSE(get("/v1/events"));
  EXPECT_FALSE(get("/api/session"));
}

TEST_F(WebFilesTest, MissingFilesAndUnknownTypesAre404) {
  EXPECT_EQ(get("/assets/missing.js")->result(), http::status::not_found);
  EXPECT_EQ(get("/assets/notes.unknown")->result(), http::status::not_found);
  EXPECT_EQ(get("/assets/secret.txt.js")->result(), http::status::ok);  // a name, not a path
  std::filesystem::remove(root() / "summary.html");
  EXPECT_EQ(get("/summary.html")->result(), http::status::not_found);
}

TEST_F(WebFilesTest, AnUnchangedFileIsAnswered304) {
  const auto first = get("/assets/app.js");
  const std::string etag((*first)[http::field::etag]);
  ASSERT_FALSE(etag.empty());
  const auto again = get("/assets/app.js", etag);
  EXPECT_EQ(again->result(), http::status::not_modified);
  EXPECT_TRUE(again->body().empty());
  write(root() / "assets" / "app.js", "export const answer = 43; // changed");
  const auto changed = get("/assets/app.js", etag);
  EXPECT_EQ(changed->result(), http::status::ok);
  EXPECT_EQ(changed->body(), "export const answer = 43; // changed");
}

TEST_F(WebFilesTest, OnlyGetIsAnswered) {
  const auto response = get("/", {}, http::verb::post);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), http::status::method_not_allowed);
  EXPECT_EQ((*response)[http::field::allow], "GET");
}

TEST_F(WebFilesTest, ARunningHubServesTheFolderOfItsConfig) {
  auto store = open_store((folder_ / "hub.sqlite").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  HubConfig config;
  config.port = 0;
  config.threads = 1;
  config.web_root = root();
  auto server = HubServer::start(config, std::move(store).value());
  ASSERT_TRUE(server.ok()) << server.error().describe();
  pavilion::http::Client client(pavilion::http::Endpoint::parse((*server)->url()).value(), std::chrono::seconds(10));
  auto page = client.send({"GET", "/", {}, {}});
  ASSERT_TRUE(page.ok()) << page.error().describe();
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page->body, "<!doctype html><title>dashboard</title>");
  auto escape = client.send({"GET", "/assets/../secret.txt", {}, {}});
  ASSERT_TRUE(escape.ok()) << escape.error().describe();
  EXPECT_EQ(escape->status, 404);
  EXPECT_EQ(escape->body.find("password"), std::string::npos);
}

}  // namespace
}  // namespace pavilion::hub
