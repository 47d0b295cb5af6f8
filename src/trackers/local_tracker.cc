#include "trackers/local_tracker.h"

#include <simdjson.h>

#include <fmt/format.h>

#include "core/json_writer.h"
#include "core/time.h"

namespace lg {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tracker_issues (
  number     INTEGER PRIMARY KEY,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  created_at TEXT NOT NULL,
  closed_at  TEXT
);
CREATE TABLE IF NOT EXISTS tracker_labels (
  issue    INTEGER NOT NULL REFERENCES tracker_issues(number) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  label    TEXT NOT NULL,
  PRIMARY KEY (issue, position)
);
CREATE TABLE IF NOT EXISTS tracker_comments (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  issue      INTEGER NOT NULL REFERENCES tracker_issues(number) ON DELETE CASCADE,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
)sql";

Issue IssueFromRow(const SqliteStatement& st) {
  Issue i;
  i.number = st.ColumnInt(0);
  i.title = st.ColumnText(1);
  i.body = st.ColumnText(2);
  i.state = st.ColumnText(3);
  i.created_at = st.ColumnText(4);
  if (!st.ColumnIsNull(5)) i.closed_at = st.ColumnText(5);
  return i;
}

}  // namespace

StatusOr<std::unique_ptr<LocalTracker>> LocalTracker::Open(const std::string& path, Clock& clock) {
  auto db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  LG_RETURN_IF_ERROR((*db)->ExecAtomically(kSchema));
  return std::unique_ptr<LocalTracker>(new LocalTracker(std::move(*db), clock));
}

Status LocalTracker::LoadLabels(Issue& issue) {
  auto st = db_->Prepare("SELECT label FROM tracker_labels WHERE issue = ? ORDER BY position");
  if (!st.ok()) return st.status();
  st->Bind(1, issue.number);
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    issue.labels.push_back(st->ColumnText(0));
  }
  issue.url = fmt::format("{}#{}", Describe(), issue.number);
  return Status::Ok();
}

StatusOr<std::vector<Issue>> LocalTracker::ListIssues() {
  auto st = db_->Prepare(
      "SELECT number, title, body, state, created_at, closed_at FROM tracker_issues ORDER BY number");
  if (!st.ok()) return st.status();
  std::vector<Issue> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(IssueFromRow(*st));
  }
  for (Issue& i : out) LG_RETURN_IF_ERROR(LoadLabels(i));
  return out;
}

StatusOr<std::optional<Issue>> LocalTracker::GetIssue(int64_t number) {
  auto st = db_->Prepare(
      "SELECT number, title, body, state, created_at, closed_at FROM tracker_issues WHERE number = ?");
  if (!st.ok()) return st.status();
  st->Bind(1, number);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Issue>();
  Issue i = IssueFromRow(*st);
  LG_RETURN_IF_ERROR(LoadLabels(i));
  return std::optional<Issue>(std::move(i));
}

StatusOr<std::vector<Comment>> LocalTracker::ListComments(int64_t issue) {
  auto st = db_->Prepare(
      "SELECT id, issue, body, created_at FROM tracker_comments WHERE issue = ? ORDER BY id");
  if (!st.ok()) return st.status();
  st->Bind(1, issue);
  std::vector<Comment> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({st->ColumnInt(0), st->ColumnInt(1), st->ColumnText(2), st->ColumnText(3)});
  }
  return out;
}

Status LocalTracker::WriteIssue(const Issue& issue) {
  auto st = db_->Prepare(
      "INSERT INTO tracker_issues (number, title, body, state, created_at, closed_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(number) DO UPDATE SET title = excluded.title, "
      "body = excluded.body, state = excluded.state, created_at = excluded.created_at, "
      "closed_at = excluded.closed_at");
  if (!st.ok()) return st.status();
  st->Bind(1, issue.number).Bind(2, issue.title).Bind(3, issue.body).Bind(4, issue.state)
      .Bind(5, issue.created_at);
  if (issue.closed_at) {
    st->Bind(6, *issue.closed_at);
  } else {
    st->BindNull(6);
  }
  LG_RETURN_IF_ERROR(st->Run());
  auto del = db_->Prepare("DELETE FROM tracker_labels WHERE issue = ?");
  if (!del.ok()) return del.status();
  LG_RETURN_IF_ERROR(del->Bind(1, issue.number).Run());
  auto ins = db_->Prepare("INSERT INTO tracker_labels (issue, position, label) VALUES (?, ?, ?)");
  if (!ins.ok()) return ins.status();
  for (size_t k = 0; k < issue.labels.size(); ++k) {
    LG_RETURN_IF_ERROR(
        ins->Bind(1, issue.number).Bind(2, static_cast<int64_t>(k)).Bind(3, issue.labels[k]).Run());
  }
  return Status::Ok();
}

StatusOr<Issue> LocalTracker::CreateIssue(const NewIssue& request) {
  LG_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto next = db_->Prepare("SELECT COALESCE(MAX(number), 0) + 1 FROM tracker_issues");
  if (!next.ok()) {
    (void)db_->Exec("ROLLBACK");
    return next.status();
  }
  (void)next->Step();
  Issue issue;
  issue.number = next->ColumnInt(0);
  issue.title = request.title;
  issue.body = request.body;
  issue.state = "open";
  issue.labels = request.labels;
  issue.created_at = FormatTimestamp(clock_.Now());
  Status s = WriteIssue(issue);
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  LG_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  issue.url = fmt::format("{}#{}", Describe(), issue.number);
  return issue;
}

StatusOr<Comment> LocalTracker::AddComment(int64_t issue, std::string_view body) {
  auto existing = GetIssue(issue);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) {
    return Status::NotFound(fmt::format("{}: issue #{} does not exist", Describe(), issue));
  }
  auto st = db_->Prepare("INSERT INTO tracker_comments (issue, body, created_at) VALUES (?, ?, ?)");
  if (!st.ok()) return st.status();
  Comment c;
  c.issue = issue;
  c.body = std::string(body);
  c.created_at = FormatTimestamp(clock_.Now());
  LG_RETURN_IF_ERROR(st->Bind(1, issue).Bind(2, c.body).Bind(3, c.created_at).Run());
  c.id = db_->LastInsertId();
  return c;
}

Status LocalTracker::Import(const std::vector<Issue>& issues, const std::vector<Comment>& comments) {
  LG_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  for (const Issue& i : issues) {
    Status s = WriteIssue(i);
    if (!s.ok()) {
      (void)db_->Exec("ROLLBACK");
      return s;
    }
  }
  for (const Comment& c : comments) {
    auto dup = db_->Prepare("SELECT 1 FROM tracker_comments WHERE issue = ? AND body = ? AND created_at = ?");
    if (!dup.ok()) return dup.status();
    dup->Bind(1, c.issue).Bind(2, c.body).Bind(3, c.created_at);
    auto found = dup->Step();
    if (!found.ok()) return found.status();
    if (*found) continue;
    auto st = db_->Prepare("INSERT INTO tracker_comments (issue, body, created_at) VALUES (?, ?, ?)");
    if (!st.ok()) return st.status();
    Status s = st->Bind(1, c.issue).Bind(2, c.body).Bind(3, c.created_at).Run();
    if (!s.ok()) {
      (void)db_->Exec("ROLLBACK");
      return s;
    }
  }
  return db_->Exec("COMMIT");
}

StatusOr<std::vector<Issue>> ParseIssuesJson(std::string_view json, std::string_view name,
                                            std::vector<Comment>* comments) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root); err) {
    return Status::DataLoss(fmt::format("{}: malformed JSON: {}", name, simdjson::error_message(err)));
  }
  simdjson::dom::array arr;
  if (root.get(arr) != simdjson::SUCCESS) {
    return Status::DataLoss(fmt::format("{}: expected a JSON array of issues", name));
  }
  std::vector<Issue> out;
  size_t index = 0;
  for (simdjson::dom::element e : arr) {
    auto bad = [&](std::string_view why) {
      return Status::DataLoss(fmt::format("{}: issue at index {}: {}", name, index, why));
    };
    simdjson::dom::object o;
    if (e.get(o) != simdjson::SUCCESS) return bad("expected an object");
    Issue issue;
    int64_t number = 0;
    if (o["number"].get(number) != simdjson::SUCCESS || number <= 0) {
      return bad("'number' must be a positive integer");
    }
    issue.number = number;
    std::string_view sv;
    if (o["title"].get(sv) != simdjson::SUCCESS) return bad("'title' must be a string");
    issue.title = sv;
    if (o["body"].get(sv) == simdjson::SUCCESS) {
      issue.body = sv;
    } else if (simdjson::dom::element b; o["body"].get(b) == simdjson::SUCCESS && !b.is_null()) {
      return bad("'body' must be a string or null");
    }
    if (o["state"].get(sv) != simdjson::SUCCESS || (sv != "open" && sv != "closed")) {
      return bad("'state' must be \"open\" or \"closed\"");
    }
    issue.state = sv;
    simdjson::dom::array labels;
    if (o["labels"].get(labels) == simdjson::SUCCESS) {
      for (simdjson::dom::element l : labels) {
        simdjson::dom::object lo;
        if (l.get(sv) == simdjson::SUCCESS) {
          issue.labels.emplace_back(sv);
        } else if (l.get(lo) == simdjson::SUCCESS && lo["name"].get(sv) == simdjson::SUCCESS) {
          issue.labels.emplace_back(sv);  // GitHub's label objects
        } else {
          return bad("'labels' must hold strings");
        }
      }
    }
    if (o["created_at"].get(sv) == simdjson::SUCCESS) {
      if (!ParseTimestamp(sv).ok()) return bad("'created_at' is not an RFC 3339 time");
      issue.created_at = sv;
    } else {
      return bad("'created_at' must be an RFC 3339 string");
    }
    if (o["closed_at"].get(sv) == simdjson::SUCCESS) issue.closed_at = std::string(sv);
    simdjson::dom::array cs;
    if (comments && o["comments"].get(cs) == simdjson::SUCCESS) {
      for (simdjson::dom::element c : cs) {
        simdjson::dom::object co;
        std::string_view body, at;
        if (c.get(co) != simdjson::SUCCESS || co["body"].get(body) != simdjson::SUCCESS ||
            co["created_at"].get(at) != simdjson::SUCCESS) {
          return bad("'comments' must hold objects with 'body' and 'created_at'");
        }
        comments->push_back({0, issue.number, std::string(body), std::string(at)});
      }
    }
    out.push_back(std::move(issue));
    ++index;
  }
  return out;
}

std::string IssuesToJson(const std::vector<Issue>& issues,
                         const std::vector<std::vector<Comment>>& comments) {
  JsonWriter w;
  w.BeginArray();
  for (size_t k = 0; k < issues.size(); ++k) {
    const Issue& i = issues[k];
    w.BeginObject();
    w.Field("number", i.number).Field("title", i.title).Field("body", i.body).Field("state", i.state);
    w.Key("labels").BeginArray();
    for (const auto& l : i.labels) w.String(l);
    w.EndArray();
    w.Field("created_at", i.created_at);
    if (i.closed_at) w.Field("closed_at", *i.closed_at);
    if (k < comments.size() && !comments[k].empty()) {
      w.Key("comments").BeginArray();
      for (const Comment& c : comments[k]) {
        w.BeginObject().Field("body", c.body).Field("created_at", c.created_at).EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  std::string out = w.Take();
  out += '\n';
  return out;
}

}  // namespace lg
