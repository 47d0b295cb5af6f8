#include "trackers/github_tracker.h"

#include <algorithm>

#include <simdjson.h>

#include <fmt/format.h>

#include "core/json_writer.h"

namespace lg {
namespace {

std::string Str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

Issue IssueFrom(simdjson::dom::element e) {
  Issue i;
  int64_t n = 0;
  if (e["number"].get(n) == simdjson::SUCCESS) i.number = n;
  i.title = Str(e, "title");
  i.body = Str(e, "body");
  i.state = Str(e, "state");
  i.created_at = Str(e, "created_at");
  if (std::string closed = Str(e, "closed_at"); !closed.empty()) i.closed_at = closed;
  i.url = Str(e, "html_url");
  simdjson::dom::array labels;
  if (e["labels"].get(labels) == simdjson::SUCCESS) {
    for (simdjson::dom::element l : labels) {
      std::string_view name;
      if (l["name"].get(name) == simdjson::SUCCESS) i.labels.emplace_back(name);
    }
  }
  return i;
}

Comment CommentFrom(simdjson::dom::element e, int64_t issue) {
  Comment c;
  int64_t id = 0;
  if (e["id"].get(id) == simdjson::SUCCESS) c.id = id;
  c.issue = issue;
  c.body = Str(e, "body");
  c.created_at = Str(e, "created_at");
  return c;
}

std::string Cut(std::string_view body, size_t max) {
  if (body.size() <= max) return std::string(body);
  size_t cut = max - 40;
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  return std::string(body.substr(0, cut)) + "\n\n… (cut to fit GitHub's size limit)";
}

Status BadJson(std::string_view what) { return Status::Internal(fmt::format("GitHub returned unreadable JSON for {}", what)); }

}  // namespace

std::string NewIssueJson(const NewIssue& issue) {
  std::string out = "{\"title\":";
  AppendJsonString(out, issue.title);
  if (!issue.body.empty()) {
    out += ",\"body\":";
    AppendJsonString(out, issue.body);
  }
  if (!issue.labels.empty()) {
    out += ",\"labels\":[";
    for (size_t k = 0; k < issue.labels.size(); ++k) {
      if (k) out += ',';
      AppendJsonString(out, issue.labels[k]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

StatusOr<std::unique_ptr<GitHubTracker>> GitHubTracker::Open(const std::string& repo, GitHubOptions options) {
  const size_t slash = repo.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size() || repo.find('/', slash + 1) != std::string::npos) {
    return Status::InvalidArgument(fmt::format("--tracker github:{}: expected github:OWNER/REPO", repo));
  }
  if (options.token.empty()) {
    return Status::InvalidArgument(
        "--tracker github:...: no token; set GITHUB_TOKEN or pass --github-token-file FILE");
  }
  return std::unique_ptr<GitHubTracker>(new GitHubTracker(repo, std::move(options)));
}

StatusOr<std::vector<Issue>> GitHubTracker::ListIssues() {
  auto pages = client_.GetAllPages(fmt::format("/repos/{}/issues?state=all&per_page=100&direction=asc", repo_));
  if (!pages.ok()) return pages.status();
  std::vector<Issue> out;
  simdjson::dom::parser parser;
  for (const std::string& page : *pages) {
    simdjson::dom::array items;
    if (parser.parse(page).get(items) != simdjson::SUCCESS) return BadJson("the issue list");
    for (simdjson::dom::element e : items) {
      simdjson::dom::element pr;
      if (e["pull_request"].get(pr) == simdjson::SUCCESS) continue;  // a pull request, not an issue
      out.push_back(IssueFrom(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const Issue& a, const Issue& b) { return a.number < b.number; });
  return out;
}

StatusOr<std::vector<Comment>> GitHubTracker::ListComments(int64_t issue) {
  auto pages = client_.GetAllPages(fmt::format("/repos/{}/issues/{}/comments?per_page=100", repo_, issue));
  if (!pages.ok()) return pages.status();
  std::vector<Comment> out;
  simdjson::dom::parser parser;
  for (const std::string& page : *pages) {
    simdjson::dom::array items;
    if (parser.parse(page).get(items) != simdjson::SUCCESS) return BadJson("the comment list");
    for (simdjson::dom::element e : items) out.push_back(CommentFrom(e, issue));
  }
  return out;
}

StatusOr<Issue> GitHubTracker::PostIssue(const NewIssue& issue) {
  auto r = client_.Request("POST", fmt::format("/repos/{}/issues", repo_), NewIssueJson(issue));
  if (!r.ok()) return r.status();
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(r->body).get(e) != simdjson::SUCCESS) return BadJson("the new issue");
  return IssueFrom(e);
}

StatusOr<Issue> GitHubTracker::CreateIssue(const NewIssue& in) {
  NewIssue issue = in;
  issue.body = Cut(issue.body, kMaxBody - 1);
  auto posted = PostIssue(issue);
  if (posted.ok()) return posted;
  if (posted.status().code() == StatusCode::kInvalidArgument &&
      std::string(posted.status().message()).find("too long") != std::string::npos) {
    issue.body = Cut(issue.body, 60000);
    return PostIssue(issue);
  }
  if (posted.status().code() != StatusCode::kUnavailable) return posted.status();
  // The POST may have worked: look before posting again.
  auto issues = ListIssues();
  if (issues.ok()) {
    for (auto it = issues->rbegin(); it != issues->rend(); ++it) {
      if (it->title == issue.title && it->body == issue.body) return *it;
    }
  }
  return PostIssue(issue);
}

StatusOr<Comment> GitHubTracker::AddComment(int64_t issue, std::string_view in) {
  const std::string body = Cut(in, kMaxBody - 1);
  std::string json = "{\"body\":";
  AppendJsonString(json, body);
  json += '}';
  const std::string path = fmt::format("/repos/{}/issues/{}/comments", repo_, issue);
  auto r = client_.Request("POST", path, json);
  if (!r.ok() && r.status().code() == StatusCode::kUnavailable) {
    auto comments = ListComments(issue);
    if (comments.ok()) {
      for (auto it = comments->rbegin(); it != comments->rend(); ++it) {
        if (it->body == body) return *it;
      }
    }
    r = client_.Request("POST", path, json);
  }
  if (!r.ok()) return r.status();
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(r->body).get(e) != simdjson::SUCCESS) return BadJson("the new comment");
  return CommentFrom(e, issue);
}

StatusOr<std::vector<Issue>> GitHubTracker::Search(std::string_view query) {
  const std::string q = fmt::format("{} repo:{}", query, repo_);
  auto r = client_.Request("GET", "/search/issues?q=" + UrlEncode(q));
  if (!r.ok()) return r.status();
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  simdjson::dom::array items;
  if (parser.parse(r->body).get(e) != simdjson::SUCCESS || e["items"].get(items) != simdjson::SUCCESS) {
    return BadJson("the search");
  }
  std::vector<Issue> out;
  for (simdjson::dom::element i : items) out.push_back(IssueFrom(i));
  return out;
}

}  // namespace lg
