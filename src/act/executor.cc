#include "act/executor.h"

#include <string_view>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "act/safe_text.h"
#include "triage/triage.h"

namespace lg {
namespace {

std::string JoinTerms(const std::vector<std::string>& terms, size_t max = 8) {
  std::string out;
  for (size_t i = 0; i < terms.size() && i < max; ++i) out += (i ? ", " : "") + terms[i];
  if (terms.size() > max) out += ", …";
  return out;
}

std::string DescribeCandidate(const Candidate& c) {
  return fmt::format("#{} ({}, score {:.1f}{}; shared: {})", c.issue, c.open ? "open" : "closed", c.score,
                     c.same_priority ? " with the same-priority bonus" : "", JoinTerms(c.shared_terms));
}

// The words the matcher compares: the name, the cluster's patterns (for a
// request pattern, also the words people use for its status), and the
// dominant exception.
std::string Signature(const Cluster& c, const RenderContext& ctx) {
  std::string s = c.name;
  size_t n = 0;
  for (uint32_t t : c.templates) {
    if (n++ == 12) break;
    const std::string& text = ctx.templates[t].text;
    s += '\n';
    s += text;
    if (size_t arrow = text.rfind("→ "); arrow != std::string::npos) {
      const int status = std::atoi(text.c_str() + arrow + std::string_view("→ ").size());
      if (status >= 100) {
        s += ' ';
        s += StatusWords(status);
      }
    }
  }
  if (c.stack) s += "\n" + c.stack->exception_type + " " + c.stack->message;
  return s;
}

std::string MutualNote(const MatchOptions& o) {
  return fmt::format(" (under the full bar, but {:.0f}+ rare words and no other cluster of this run scores it as high)",
                     o.mutual_threshold);
}

// For each cluster, the best score each issue gets from the run's other
// clusters (`candidates`: each cluster's scored issues): a cluster that is an
// issue's best match needs less to claim it.
std::vector<OtherClusterScores> OtherScores(const std::vector<std::vector<Candidate>>& candidates) {
  struct Best {
    double first = -1, second = -1;
    size_t by = 0;
  };
  std::unordered_map<int64_t, Best> best;
  for (size_t i = 0; i < candidates.size(); ++i) {
    for (const Candidate& cand : candidates[i]) {
      Best& b = best[cand.issue];
      if (cand.score > b.first) {
        b.second = b.first;
        b.first = cand.score;
        b.by = i;
      } else if (cand.score > b.second) {
        b.second = cand.score;
      }
    }
  }
  std::vector<OtherClusterScores> out(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    for (const auto& [issue, b] : best) {
      const double other = b.by == i ? b.second : b.first;
      if (other >= 0) out[i][issue] = other;
    }
  }
  return out;
}

// Maps the cluster's fingerprints (lead and every template's) to `issue`.
Status MapAll(StateStore& state, const Cluster& c, int64_t issue) {
  if (issue == 0) return Status::Ok();
  LG_RETURN_IF_ERROR(state.MapFingerprint(c.fingerprint, issue));
  for (const auto& fp : c.member_fingerprints) {
    if (fp != c.fingerprint) LG_RETURN_IF_ERROR(state.MapFingerprint(fp, issue));
  }
  return Status::Ok();
}

// What a filing claim is about: an incident's first issue, or its regression
// of one closed issue (a later regression of the new issue is another claim).
std::string ClaimKey(const Cluster& c) {
  return c.action.kind == ActionKind::kRegression ? fmt::format("{}|regression|{}", c.fingerprint, c.action.issue)
                                                  : c.fingerprint + "|create";
}

// Fills c.action.kind/issue/rationale from the evidence. No side effects.
void Decide(Cluster& c, const RenderContext& ctx, const IssueIndex& index,
            std::optional<int64_t> state_issue, std::optional<int64_t> commented_issue,
            const OtherClusterScores& others, const ActOptions& options) {
  const std::string window = WindowText(ctx.window);
  const Issue* own = state_issue ? index.Find(*state_issue) : nullptr;
  bool via_state = own != nullptr;
  if (!own) own = index.FindByFingerprint(c.fingerprint);
  bool via_comment = false;
  if (!own && commented_issue) {
    own = index.Find(*commented_issue);
    via_comment = own != nullptr;
  }
  if (own) {
    std::string how = via_state     ? "state maps the fingerprint to"
                      : via_comment ? "an earlier run's update comment for this fingerprint is on"
                                    : "fingerprint line found in";
    if (own->body.find(WindowMarker(c.fingerprint, window)) != std::string::npos) {
      // Filed by an earlier run of this very window.
      int64_t regression_of = 0;
      if (auto pos = own->body.find("Regression of #"); pos == 0) {
        regression_of = std::strtoll(own->body.c_str() + 15, nullptr, 10);
      }
      c.action.kind = regression_of ? ActionKind::kRegression : ActionKind::kCreate;
      c.action.issue = regression_of;
      c.action.new_issue = own->number;
      c.action.url = own->url;
      c.action.status = "already done";
      c.action.rationale = fmt::format("{} #{}, filed for this window already", how, own->number);
      return;
    }
    if (own->is_open()) {
      c.action.kind = ActionKind::kComment;
      c.action.issue = own->number;
      c.action.url = own->url;
      c.action.rationale = fmt::format("{} open issue #{}", how, own->number);
    } else {
      c.action.kind = ActionKind::kRegression;
      c.action.issue = own->number;
      c.action.rationale = fmt::format("{} closed issue #{}: it is back", how, own->number);
    }
    return;
  }
  MatchResult m = index.MatchText(Signature(c, ctx), options.match, &others, c.priority);
  c.action.related = m.related;
  std::string runner = m.runner_up ? "; runner-up " + DescribeCandidate(*m.runner_up) : "";
  if (m.best_open) {
    c.action.kind = ActionKind::kComment;
    c.action.issue = m.best_open->issue;
    if (const Issue* i = index.Find(m.best_open->issue)) c.action.url = i->url;
    c.action.rationale = fmt::format("text match with open issue {}{}{}", DescribeCandidate(*m.best_open),
                                     m.mutual ? MutualNote(options.match) : "", runner);
  } else if (m.best_closed) {
    c.action.kind = ActionKind::kRegression;
    c.action.issue = m.best_closed->issue;
    c.action.rationale = fmt::format("only a closed issue matches: {}{}{}", DescribeCandidate(*m.best_closed),
                                     m.mutual ? MutualNote(options.match) : "", runner);
  } else {
    c.action.kind = ActionKind::kCreate;
    std::string why;
    if (m.best) {
      why = "; best " + DescribeCandidate(*m.best);
      if (m.under_bar) why += fmt::format(", under the bar of {:.1f}", m.bar);
      if (m.not_ahead && m.rival) {
        why += fmt::format("{} only {:.2f}x ahead of {}", m.under_bar ? " and" : ",",
                           m.best->score / m.rival->score, DescribeCandidate(*m.rival));
      }
    }
    c.action.rationale = fmt::format("no issue is a clear match (BM25 of {:.0f}+ rare words and {:.1f}x ahead of other topics){}",
                                     options.match.threshold, options.match.margin, why);
  }
}

}  // namespace

StatusOr<ActStats> PlanAndApply(std::vector<Cluster>& clusters, const RenderContext& ctx,
                                const std::vector<Issue>& issues, Tracker& tracker,
                                StateStore* state, const ActOptions& options) {
  ActStats stats;
  {
    // The journal, the filing claim and the issue's fingerprint line are all
    // keyed by the fingerprint: two clusters sharing one would share an issue.
    std::unordered_set<std::string_view> seen;
    for (const Cluster& c : clusters) {
      if (!seen.insert(c.fingerprint).second) {
        return Status::Internal(fmt::format("two clusters share the fingerprint {}", c.fingerprint));
      }
    }
  }
  IssueIndex index(issues);
  const std::string window = WindowText(ctx.window);
  std::vector<std::vector<Candidate>> candidates;
  for (const Cluster& c : clusters) candidates.push_back(index.Score(Signature(c, ctx), options.match, c.priority));
  const std::vector<OtherClusterScores> others = OtherScores(candidates);
  // Each issue's comments, read once per run; what this run posts is added.
  std::unordered_map<int64_t, std::vector<Comment>> comments_of;
  auto comments_on = [&](int64_t issue) -> StatusOr<std::vector<Comment>*> {
    auto it = comments_of.find(issue);
    if (it == comments_of.end()) {
      auto listed = tracker.ListComments(issue);
      if (!listed.ok()) return listed.status();
      it = comments_of.emplace(issue, std::move(*listed)).first;
    }
    return &it->second;
  };
  int filings = 0;
  for (size_t ci = 0; ci < clusters.size(); ++ci) {
    Cluster& c = clusters[ci];
    const std::string key = c.fingerprint + "|" + window;
    if (state) {
      auto rec = state->FindAction(key);
      if (!rec.ok()) return rec.status();
      if (rec->has_value() && (*rec)->status == "confirmed") {
        const JournalRecord& r = **rec;
        c.action.kind = r.kind == "comment"      ? ActionKind::kComment
                        : r.kind == "regression" ? ActionKind::kRegression
                        : r.kind == "create"     ? ActionKind::kCreate
                                                 : ActionKind::kNone;
        c.action.issue = r.issue;
        c.action.new_issue = r.new_issue;
        if (const Issue* i = index.Find(r.new_issue ? r.new_issue : r.issue)) c.action.url = i->url;
        c.action.status = "already done";
        c.action.rationale = "journal: this window's action was confirmed by an earlier run";
        if (c.action.kind == ActionKind::kRegression) c.category = "regression";
        c.title = MakeTitle(c.category, c.priority, c.name);
        ++stats.already_done;
        continue;
      }
    }
    std::optional<int64_t> state_issue;
    if (state) {
      // The lead template's fingerprint first, then any other template's: an
      // incident may be led by another template in another window.
      auto mapped = state->IssueForFingerprint(c.fingerprint);
      if (!mapped.ok()) return mapped.status();
      state_issue = *mapped;
      for (size_t k = 0; !state_issue && k < c.member_fingerprints.size(); ++k) {
        auto m = state->IssueForFingerprint(c.member_fingerprints[k]);
        if (!m.ok()) return m.status();
        state_issue = *m;
      }
    }
    // An earlier run (whose state is lost, or which ran elsewhere) may have
    // commented on a person's issue for this fingerprint: its update comment
    // carries the fingerprint. Looked for on the best text candidates only.
    std::optional<int64_t> commented_issue;
    if (!state_issue && !index.FindByFingerprint(c.fingerprint)) {
      const std::string mark = UpdateMarkerPrefix(c.fingerprint);
      const std::vector<Candidate>& cands = candidates[ci];
      // Issues the gardener filed (for this run's other clusters, perhaps)
      // rank high on the same words; they do not use up the count.
      size_t people = 0;
      for (size_t k = 0; k < cands.size() && people < options.own_comment_candidates && !commented_issue; ++k) {
        const Issue* issue = index.Find(cands[k].issue);
        if (issue && !FingerprintInBody(issue->body)) ++people;
        auto comments = comments_on(cands[k].issue);
        if (!comments.ok()) return comments.status();
        for (const Comment& cm : **comments) {
          if (cm.body.find(mark) != std::string::npos) {
            commented_issue = cands[k].issue;
            break;
          }
        }
      }
    }
    Decide(c, ctx, index, state_issue, commented_issue, others[ci], options);
    if (c.action.kind == ActionKind::kRegression && c.action.status.empty()) {
      // One closed issue, one regression issue: another cluster of this run
      // that found the same closed issue filed it already (an incident whose
      // lines fell in two clusters); this one updates it.
      for (size_t k = 0; k < ci; ++k) {
        const Action& a = clusters[k].action;
        if (a.kind != ActionKind::kRegression || a.issue != c.action.issue || a.new_issue == 0) continue;
        c.action.rationale += fmt::format("; {} filed the regression of #{} in this run as #{}: updating it",
                                          clusters[k].id, a.issue, a.new_issue);
        c.action.kind = ActionKind::kComment;
        c.action.issue = a.new_issue;
        c.action.url = a.url;
        break;
      }
    }
    if (c.action.kind == ActionKind::kRegression) c.category = "regression";
    c.title = MakeTitle(c.category, c.priority, c.name);
    if (c.action.status == "already done") {
      ++stats.already_done;
      if (state && !options.dry_run && c.action.new_issue != 0) {
        // A filing finished by an earlier (perhaps killed) run: settle its claim.
        LG_RETURN_IF_ERROR(state->CompleteFiling(ClaimKey(c), c.action.new_issue));
      }
      if (state && !options.dry_run) {
        LG_RETURN_IF_ERROR(state->RecordAction({key, std::string(ActionKindName(c.action.kind)),
                                                c.fingerprint, c.action.issue, c.action.new_issue,
                                                "confirmed", window}));
        LG_RETURN_IF_ERROR(MapAll(*state, c, c.action.new_issue));
      }
      continue;
    }
    // Filing is claimed first (fleet-wide, one transaction): another worker,
    // gardening another window of the service, may be filing this incident.
    std::string claim_key;
    if (state && !options.dry_run &&
        (c.action.kind == ActionKind::kCreate || c.action.kind == ActionKind::kRegression) &&
        filings < options.max_new_issues) {
      claim_key = ClaimKey(c);
      auto claim = state->ClaimFiling(claim_key, options.worker, options.claim_stale_seconds);
      if (!claim.ok()) return claim.status();
      if (!claim->granted && claim->issue == 0 && options.holder_is_dead && options.holder_is_dead(claim->holder)) {
        // Its holder died mid-filing (a crash on this machine): take it over;
        // Decide already looked for what it filed, by the markers.
        claim = state->ClaimFiling(claim_key, options.worker, options.claim_stale_seconds, claim->holder);
        if (!claim.ok()) return claim.status();
      }
      if (!claim->granted && claim->issue != 0) {
        c.action.rationale += fmt::format("; worker {} filed it as #{}", claim->holder, claim->issue);
        c.action.kind = ActionKind::kComment;
        c.action.issue = claim->issue;
        c.category = "new";
        c.title = MakeTitle(c.category, c.priority, c.name);
      } else if (!claim->granted) {
        c.action.rationale += fmt::format("; worker {} is filing it now", claim->holder);
        c.action.kind = ActionKind::kNone;
        c.action.status = "deferred: another worker is filing it";
        ++stats.deferred;
        continue;  // not journaled: the next run of this window decides again
      }
    }
    JournalRecord rec{key, std::string(ActionKindName(c.action.kind)), c.fingerprint,
                      c.action.issue, 0, "planned", window};
    if (c.action.kind == ActionKind::kComment) {
      const std::string marker = WindowMarker(c.fingerprint, window);
      auto comments = comments_on(c.action.issue);
      if (!comments.ok()) return comments.status();
      bool posted = false;
      for (const Comment& cm : **comments) posted |= cm.body.find(marker) != std::string::npos;
      if (posted) {
        c.action.status = "already done";
        ++stats.already_done;
      } else if (options.dry_run) {
        c.action.status = "planned (dry run)";
      } else {
        if (state) LG_RETURN_IF_ERROR(state->RecordAction(rec));
        const std::string body = RenderUpdateComment(c, ctx);
        auto comment = tracker.AddComment(c.action.issue, body);
        if (!comment.ok()) return comment.status();
        (*comments)->push_back(*comment);
        c.action.status = "done";
        c.action.posted = fmt::format("update comment on #{} ({} chars)", c.action.issue, body.size());
        ++stats.commented;
      }
      if (state && !options.dry_run) {
        rec.status = "confirmed";
        LG_RETURN_IF_ERROR(state->RecordAction(rec));
      }
      continue;
    }
    // create or regression: file a new issue.
    if (filings >= options.max_new_issues) {
      // Nothing is filed for this window; the decision is journaled so a rerun
      // of the same window repeats it instead of filing what this run did not.
      c.action.rationale += fmt::format("; would {}, but --max-new-issues {} was reached",
                                        ActionKindName(c.action.kind), options.max_new_issues);
      c.action.kind = ActionKind::kNone;
      c.action.status = "skipped: --max-new-issues reached";
      ++stats.deferred;
      if (state && !options.dry_run) {
        LG_RETURN_IF_ERROR(state->RecordAction({key, "none", c.fingerprint, c.action.issue, 0,
                                                "confirmed", window}));
      }
      continue;
    }
    ++filings;
    if (options.dry_run) {
      c.action.status = "planned (dry run)";
      continue;
    }
    if (state) LG_RETURN_IF_ERROR(state->RecordAction(rec));
    NewIssue request;
    request.title = SafeText(c.title, 256);
    request.body = RenderIssueBody(
        c, ctx, c.action.kind == ActionKind::kRegression ? c.action.issue : 0);
    request.labels = {options.label, fmt::format("P{}", c.priority), c.category};
    auto filed = tracker.CreateIssue(request);
    if (!filed.ok()) return filed.status();
    c.action.posted = fmt::format("issue #{} \"{}\" ({} chars, labels {})", filed->number, request.title,
                                  request.body.size(), fmt::join(request.labels, ", "));
    c.action.new_issue = filed->number;
    c.action.url = filed->url;
    c.action.status = "done";
    if (c.action.kind == ActionKind::kRegression) {
      ++stats.regressions;
    } else {
      ++stats.created;
    }
    if (state) {
      if (!claim_key.empty()) LG_RETURN_IF_ERROR(state->CompleteFiling(claim_key, filed->number));
      LG_RETURN_IF_ERROR(MapAll(*state, c, filed->number));
      rec.new_issue = filed->number;
      rec.status = "confirmed";
      LG_RETURN_IF_ERROR(state->RecordAction(rec));
    }
  }
  return stats;
}

}  // namespace lg
