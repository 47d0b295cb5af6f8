#include "correlate/correlator.h"

#include <gtest/gtest.h>

#include "correlate/words.h"

namespace lg {
namespace {

// Builds a CorrelationInput entry by entry.
struct Builder {
  CorrelationInput in;
  Builder() {
    in.instances.push_back({});
    in.revision_first.push_back(0);
    in.revision_names.push_back("");
    in.logger_names.push_back("");
  }
  uint32_t Template(std::string text) {
    in.template_texts.push_back(std::move(text));
    return static_cast<uint32_t>(in.template_texts.size() - 1);
  }
  uint32_t Instance(double first, double last, uint32_t ok) {
    in.instances.push_back({first, last, ok});
    return static_cast<uint32_t>(in.instances.size() - 1);
  }
  uint32_t Logger(std::string name) {
    in.logger_names.push_back(std::move(name));
    return static_cast<uint32_t>(in.logger_names.size() - 1);
  }
  uint32_t Revision(std::string name, double first) {
    in.revision_first.push_back(first);
    in.revision_names.push_back(std::move(name));
    return static_cast<uint32_t>(in.revision_first.size() - 1);
  }
  // An instance booted at t0 that never serves: it logs `fatal` 30 s in and
  // the platform reports its exit (`exit`) a second later.
  uint32_t CrashingInstance(double t0, uint32_t fatal, uint32_t exit) {
    const uint32_t inst = Instance(t0, t0 + 40, 0);
    Add(fatal, t0 + 30).instance = inst;
    EntryFacts& x = Add(exit, t0 + 31, Severity::kWarning);
    x.instance = inst;
    x.platform = true;
    return inst;
  }
  // A deploy at t=1000: the old revision served one request on its own
  // instance until then. Returns the new revision ("<service>-00042-def").
  uint32_t DeployAt1000(const std::string& service = "svc") {
    const uint32_t old_rev = Revision(service + "-00041-abc", 0);
    const uint32_t new_rev = Revision(service + "-00042-def", 1000);
    const uint32_t old_inst = Instance(0, 1000, 400);
    EntryFacts& served = Add(Template("Request served"), 10, Severity::kInfo);
    served.revision = old_rev;
    served.instance = old_inst;
    return new_rev;
  }
  EntryFacts& Add(uint32_t tmpl, double t, Severity sev = Severity::kError) {
    EntryFacts e;
    e.tmpl = tmpl;
    e.t = t;
    e.severity = sev;
    in.entries.push_back(e);
    return in.entries.back();
  }
  CorrelationResult Run() {
    in.template_stacks.assign(in.template_texts.size(), 0);
    in.template_error_groups.assign(in.template_texts.size(), {});
    return Correlate(in);
  }
};

bool Same(const CorrelationResult& r, size_t a, size_t b) { return r.incident_of_entry[a] == r.incident_of_entry[b]; }

// The merge evidence of the incident holding `entry`, a line each.
std::string EvidenceOf(const CorrelationResult& r, size_t entry) {
  std::string all;
  for (const auto& w : r.evidence[r.incident_of_entry[entry]]) all += w + "\n";
  return all;
}

TEST(Correlate, TwoProblemsInTheSameMinuteStayApart) {
  Builder b;
  const uint32_t redis = b.Template("Redis operation failed: Error <NUM> connecting to <IP>:<NUM>");
  const uint32_t route = b.Template("Exception in ASGI application\nTypeError: 'NoneType' object is not iterable");
  const uint32_t redis_log = b.Logger("app.services.redis_client");
  const uint32_t route_log = b.Logger("app.routes.threads");
  const uint32_t inst = b.Instance(0, 3600, 500);
  for (int i = 0; i < 30; ++i) {
    // Both fire in the same minute on the same instance, in different requests.
    EntryFacts& r = b.Add(redis, 1000 + i * 2);
    r.instance = inst;
    r.trace = 100 + i;
    r.logger = redis_log;
    EntryFacts& x = b.Add(route, 1001 + i * 2);
    x.instance = inst;
    x.trace = 200 + i;
    x.logger = route_log;
  }
  CorrelationResult r = b.Run();
  EXPECT_EQ(r.incident_count, 2u);
  EXPECT_FALSE(Same(r, 0, 1));
}

TEST(Correlate, AStormFillingItsInstancesIsNotEvidenceForItsLoggersOtherLines) {
  // One logger writes an auth failure every few seconds on every instance and,
  // now and then, a database session error: every one of those is "within
  // 30 s" of a storm line, but no more than any moment of the instances' lives.
  Builder b;
  const uint32_t storm = b.Template("CRITICAL_AUTH_FAILURE: <NUM> 'Not authenticated' error detected");
  const uint32_t db = b.Template("Database session error in get_request_scoped_db_session: InterfaceError");
  const uint32_t deps = b.Logger("app.dependencies");
  const uint32_t inst[2] = {b.Instance(0, 3600, 500), b.Instance(0, 3600, 500)};
  for (int i = 0; i < 1400; ++i) {
    EntryFacts& e = b.Add(storm, 10 + i * 2.5, Severity::kCritical);
    e.instance = inst[i % 2];
    e.logger = deps;
  }
  for (int i = 0; i < 12; ++i) {
    EntryFacts& e = b.Add(db, 300 + i * 271);
    e.instance = inst[i % 2];
    e.logger = deps;
  }
  CorrelationResult r = b.Run();
  EXPECT_FALSE(Same(r, 0, 1400));
}

TEST(Correlate, ACrashLoopsBootTimesAreNotTimingEvidence) {
  // A crash loop logs at its instances' boots; two of them linger past
  // start-up. A warning burst elsewhere covers those two moments: chance,
  // since the crash loop's times are set by its boots.
  Builder b;
  const uint32_t fatal = b.Template("TimeoutError in _phase3_database_setup");
  const uint32_t failed = b.Template("Application startup failed. Exiting.");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t reconnect = b.Template("Redis reconnection attempt <NUM>/<NUM> failed: Error <NUM>");
  const uint32_t serving = b.Instance(0, 3600, 800);
  for (int i = 0; i < 6; ++i) {
    const double t0 = 1000 + i * 100;
    const double end = t0 + (i < 2 ? 35 : 25);
    const uint32_t inst = b.Instance(t0, end, 0);
    b.Add(fatal, t0 + 2).instance = inst;
    b.Add(failed, t0 + 5).instance = inst;
    EntryFacts& x = b.Add(exit3, end, Severity::kWarning);
    x.instance = inst;
    x.platform = true;
  }
  const size_t first_reconnect = b.in.entries.size();
  for (int i = 0; i <= 40; ++i) b.Add(reconnect, 1000 + i * 10, Severity::kWarning).instance = serving;
  CorrelationResult r = b.Run();
  EXPECT_TRUE(Same(r, 0, 2));  // the crash loop is one incident
  EXPECT_FALSE(Same(r, 0, first_reconnect));
}

TEST(Correlate, OneProblemAcrossFiveTemplatesMerges) {
  Builder b;
  // A request interceptor: the app error, its traceback and the 500 share a trace.
  const uint32_t err = b.Template("Unhandled error in POST /api/threads/{id}/messages: TypeError");
  const uint32_t tb = b.Template("Exception in ASGI application\nTraceback (most recent call last):");
  const uint32_t req = b.Template("POST /api/threads/<UUID>/messages → 500");
  // Its client library logs retries under the same logger, seconds apart.
  const uint32_t retry = b.Template("Retrying message persistence (attempt <NUM>)");
  // And the same stack shows in a worker, with the same fingerprint.
  const uint32_t worker = b.Template("Background sync failed\nTraceback (most recent call last):");
  const uint32_t logger = b.Logger("app.routes.messages");
  const uint32_t inst = b.Instance(0, 3600, 900);
  for (int i = 0; i < 12; ++i) {
    const double t = 600 + i * 120;
    b.Add(err, t).trace = 10 + i;
    b.in.entries.back().logger = logger;
    b.in.entries.back().instance = inst;
    b.Add(tb, t + 0.01).trace = 10 + i;
    EntryFacts& q = b.Add(req, t + 0.2);
    q.trace = 10 + i;
    q.request = true;
    q.status = 500;
    EntryFacts& rt = b.Add(retry, t + 1.5, Severity::kWarning);
    rt.logger = logger;
    rt.instance = inst;
    b.Add(worker, t + 30);
  }
  b.in.template_stacks.assign(5, 0);
  b.in.template_error_groups.assign(5, {});
  b.in.template_stacks[tb] = 42;
  b.in.template_stacks[worker] = 42;
  CorrelationResult r = Correlate(b.in);
  EXPECT_EQ(r.incident_count, 1u);
  // Each merge is explained.
  ASSERT_EQ(r.evidence.size(), 1u);
  std::string all;
  for (const auto& line : r.evidence[0]) all += line + "\n";
  EXPECT_NE(all.find("trace:"), std::string::npos) << all;
  EXPECT_NE(all.find("stack:"), std::string::npos) << all;
  EXPECT_NE(all.find("logger:"), std::string::npos) << all;
  EXPECT_NE(all.find("request logs:"), std::string::npos) << all;
}

TEST(Correlate, CrashLoopTakesItsErrorsAndTheFailedRequests) {
  Builder b;
  const uint32_t boot = b.Template("Sentry SDK not available");  // a warning on every boot
  const uint32_t fatal = b.Template("Application startup failed. Exiting.");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t r503 = b.Template("The request failed because the instance was not ready");
  const uint32_t healthy = b.Instance(0, 3600, 800);
  b.Add(boot, 5, Severity::kWarning).instance = healthy;
  for (int i = 0; i < 6; ++i) {
    const double t0 = 1000 + i * 120;
    const uint32_t inst = b.Instance(t0, t0 + 40, 0);
    b.Add(boot, t0 + 0.2, Severity::kWarning).instance = inst;
    b.Add(fatal, t0 + 30).instance = inst;
    EntryFacts& x = b.Add(exit3, t0 + 31, Severity::kWarning);
    x.instance = inst;
    x.platform = true;
    EntryFacts& q = b.Add(r503, t0 + 20);
    q.instance = inst;
    q.request = true;
    q.status = 503;
  }
  CorrelationResult r = b.Run();
  // boot warning apart; fatal, exit and 503s together.
  const size_t fatal_entry = 2, exit_entry = 3, req_entry = 4, boot_entry = 0;
  EXPECT_TRUE(Same(r, fatal_entry, exit_entry));
  EXPECT_TRUE(Same(r, fatal_entry, req_entry));
  EXPECT_FALSE(Same(r, fatal_entry, boot_entry));
  const uint32_t k = r.incident_of_entry[fatal_entry];
  EXPECT_TRUE(r.signals[k].crash_loop);
  EXPECT_EQ(r.signals[k].crashed_instances, 6u);
}

// A start-up probe fails once, on one of the looping instances: that boot's
// failure, not an incident of its own. An error that one looping instance
// logs but a healthy one logs too is not the loop's.
// A new revision's CRITICAL config line, logged at every boot: nearly all
// its instances crash-loop for another reason, but one that logged it too
// went on to serve, so the line is no cause of the loop.
TEST(Correlate, ABootLineOfAnInstanceThatWentOnToServeIsNotTheLoops) {
  Builder b;
  const uint32_t fatal = b.Template("TimeoutError in _phase3_database_setup");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t config = b.Template("JWT secret not configured for staging environment");
  for (int i = 0; i < 10; ++i) {
    const uint32_t inst = b.CrashingInstance(1000 + i * 120, fatal, exit3);
    b.Add(config, 1000 + i * 120 + 2, Severity::kCritical).instance = inst;
  }
  const uint32_t serving = b.Instance(900, 3600, 500);
  b.Add(config, 902, Severity::kCritical).instance = serving;
  CorrelationResult r = b.Run();
  const size_t fatal_entry = 0, exit_entry = 1, config_entry = 2;  // the first looping instance's
  ASSERT_TRUE(Same(r, fatal_entry, exit_entry));
  EXPECT_FALSE(Same(r, fatal_entry, config_entry)) << EvidenceOf(r, fatal_entry);
  // Without the serving instance's boot line it is all on the loop's instances.
  b.in.entries.pop_back();
  EXPECT_TRUE(Same(b.Run(), fatal_entry, config_entry));
}

TEST(Correlate, AOneOffLineOnOneLoopingInstanceJoinsTheLoop) {
  Builder b;
  const uint32_t fatal = b.Template("Application startup failed. Exiting.");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t probe = b.Template("Default STARTUP TCP probe failed <NUM> time consecutively for container");
  const uint32_t other = b.Template("Payment provider returned HTTP <NUM>");
  const uint32_t healthy = b.Instance(0, 3600, 800);
  std::vector<uint32_t> looping;
  for (int i = 0; i < 6; ++i) looping.push_back(b.CrashingInstance(1000 + i * 120, fatal, exit3));
  const size_t probe_entry = b.in.entries.size();
  EntryFacts& p = b.Add(probe, 1000 + 2 * 120 + 32);
  p.instance = looping[2];
  p.platform = true;
  const size_t other_entry = b.in.entries.size();
  b.Add(other, 1000 + 3 * 120 + 10).instance = looping[3];
  b.Add(other, 2500).instance = healthy;
  b.in.template_stacks.assign(4, 0);
  b.in.template_error_groups.assign(4, {});
  CorrelationResult r = Correlate(b.in);
  EXPECT_TRUE(Same(r, 0, probe_entry)) << EvidenceOf(r, 0);
  EXPECT_FALSE(Same(r, 0, other_entry));
  CorrelationOptions off;
  off.crash_one_instance = false;
  EXPECT_FALSE(Same(Correlate(b.in, off), 0, probe_entry));
}

// Most of a request pattern's failures fell on the crash-looping instances;
// two more reached a healthy instance while the loop went on, with no app
// line of their own. They are the loop's too, not an incident of their own.
TEST(Correlate, TheRestOfARequestPatternFollowsTheMajorityOfItsRequests) {
  Builder b;
  const uint32_t fatal = b.Template("Application startup failed. Exiting.");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t r503 = b.Template("The request failed because the instance was not ready");
  const uint32_t healthy = b.Instance(0, 3600, 800);
  for (int i = 0; i < 6; ++i) {
    const double t0 = 1000 + i * 120;
    const uint32_t inst = b.CrashingInstance(t0, fatal, exit3);
    EntryFacts& q = b.Add(r503, t0 + 20);
    q.instance = inst;
    q.request = true;
    q.status = 503;
  }
  const size_t fatal_entry = 0, rest_entry = b.in.entries.size();
  for (double t : {1100.0, 1400.0}) {
    EntryFacts& q = b.Add(r503, t);
    q.instance = healthy;
    q.request = true;
    q.status = 503;
  }
  b.in.template_stacks.assign(3, 0);
  b.in.template_error_groups.assign(3, {});
  CorrelationResult r = Correlate(b.in);
  EXPECT_TRUE(Same(r, fatal_entry, rest_entry));
  EXPECT_TRUE(Same(r, fatal_entry, rest_entry + 1));
  EXPECT_NE(EvidenceOf(r, fatal_entry).find("follow the majority"), std::string::npos) << EvidenceOf(r, fatal_entry);
  // Turned off, they stay apart; and a minority never pulls the rest.
  CorrelationOptions off;
  off.majority_share = 1;
  CorrelationResult apart = Correlate(b.in, off);
  EXPECT_FALSE(Same(apart, fatal_entry, rest_entry));
  for (int i = 0; i < 10; ++i) {
    EntryFacts& q = b.Add(r503, 2000 + i * 60);
    q.instance = healthy;
    q.request = true;
    q.status = 503;
  }
  CorrelationResult few = Correlate(b.in);
  EXPECT_FALSE(Same(few, fatal_entry, rest_entry));
}

// One instance is killed for its memory; its other work in flight still logs
// a few seconds after the platform's error. The warnings that led up to the
// kill, and the requests that failed in it, are the kill's incident.
TEST(Correlate, AKilledInstancesLastWordsJoinItsDeathDespiteWorkInFlight) {
  Builder b;
  const uint32_t high = b.Template("Memory usage high: <NUM>/<NUM> MiB (<NUM>%)");
  const uint32_t failed = b.Template("The request failed because the connection to the instance had an error.");
  const uint32_t oom = b.Template("Memory limit of <NUM> MiB exceeded with <NUM> MiB used.");
  const uint32_t other = b.Template("Slow request: GET /api/threads took <NUM>s");
  const uint32_t inst = b.Instance(0, 1408, 300);  // its last entry (INFO) 8 s after the kill
  const uint32_t peer = b.Instance(0, 3600, 900);
  for (int i = 0; i < 3; ++i) b.Add(high, 1350 + 20 * i, Severity::kWarning).instance = inst;
  for (int i = 0; i < 2; ++i) {
    EntryFacts& q = b.Add(failed, 1395 + i);
    q.instance = inst;
    q.request = true;
    q.status = 503;
  }
  EntryFacts& kill = b.Add(oom, 1400);
  kill.instance = inst;
  kill.platform = true;
  for (int i = 0; i < 8; ++i) b.Add(other, 300 + 400 * i, Severity::kWarning).instance = peer;
  CorrelationResult r = b.Run();
  const size_t high_entry = 0, failed_entry = 3, kill_entry = 5, other_entry = 6;
  EXPECT_TRUE(Same(r, kill_entry, high_entry));
  EXPECT_TRUE(Same(r, kill_entry, failed_entry));
  EXPECT_FALSE(Same(r, kill_entry, other_entry));
  EXPECT_EQ(r.signals[r.incident_of_entry[kill_entry]].killed_instances, 1u);
  // A platform error the instance outlives by minutes is no death.
  b.in.instances[inst].last = 1400 + 300;
  CorrelationResult alive = b.Run();
  EXPECT_FALSE(Same(alive, kill_entry, high_entry));
}

// An auth storm fails requests on every instance all along; two of its
// lines, written a little differently (a template of their own, tied to the
// storm by their words), happen to fall in a killed instance's last seconds.
// They stay with the storm: it is the group that must be there, not the line.
TEST(Correlate, AStormsLinesInAKilledInstancesLastSecondsStayWithTheStorm) {
  Builder b;
  const uint32_t high = b.Template("Memory usage high: <NUM>/<NUM> MiB (<NUM>%)");
  const uint32_t oom = b.Template("Memory limit of <NUM> MiB exceeded with <NUM> MiB used.");
  const uint32_t storm = b.Template("Token validation failed for request req_<NUM>: Signature verification failed (alg=HS256)");
  const uint32_t variant =
      b.Template("Token validation failed for request req_<NUM>_eabea: Signature verification failed (alg=HS256)");
  const uint32_t inst = b.Instance(0, 1400, 300);
  const uint32_t peer = b.Instance(0, 3600, 900);
  for (int i = 0; i < 3; ++i) b.Add(high, 1350 + 20 * i, Severity::kWarning).instance = inst;
  EntryFacts& kill = b.Add(oom, 1400);
  kill.instance = inst;
  kill.platform = true;
  for (int i = 0; i < 2; ++i) b.Add(variant, 1360 + 10 * i).instance = inst;
  for (int i = 0; i < 60; ++i) {
    const double t = 10 + 55 * i;
    b.Add(storm, t).instance = i % 2 && t < 1300 ? inst : peer;  // the killed instance too, until its end
  }
  CorrelationResult r = b.Run();
  const size_t high_entry = 0, kill_entry = 3, variant_entry = 4, storm_entry = 6;
  ASSERT_TRUE(Same(r, variant_entry, storm_entry)) << EvidenceOf(r, storm_entry);
  EXPECT_TRUE(Same(r, kill_entry, high_entry));
  EXPECT_FALSE(Same(r, kill_entry, variant_entry)) << EvidenceOf(r, kill_entry);
}

// Memory climbs on one instance until the platform kills it; slow requests
// come in bursts on another instance, four of them when memory warnings are
// logged. The kill's group keeps its own: no timing evidence.
TEST(Correlate, AKilledInstancesGroupIsNotTimedIntoAStream) {
  Builder b;
  const uint32_t high = b.Template("Memory usage high: <NUM>/<NUM> MiB (<NUM>%)");
  const uint32_t oom = b.Template("Memory limit of <NUM> MiB exceeded with <NUM> MiB used.");
  const uint32_t slow = b.Template("Slow request: GET /api/threads took <DURATION> (threshold <DURATION>)");
  const uint32_t inst = b.Instance(0, 2400, 300);
  const uint32_t peer = b.Instance(0, 3600, 900);
  for (int i = 0; i < 3; ++i) b.Add(high, 2330 + 20 * i, Severity::kWarning).instance = inst;
  EntryFacts& kill = b.Add(oom, 2400);
  kill.instance = inst;
  kill.platform = true;
  for (double t0 : {300, 700, 1100, 1500, 1900, 2335, 2365, 2395, 2800, 3200}) {
    for (int k = 0; k < 5; ++k) b.Add(slow, t0 + k, Severity::kWarning).instance = peer;
  }
  CorrelationResult r = b.Run();
  const size_t high_entry = 0, kill_entry = 3, slow_entry = 4;
  ASSERT_TRUE(Same(r, kill_entry, high_entry)) << EvidenceOf(r, kill_entry);
  EXPECT_FALSE(Same(r, kill_entry, slow_entry)) << EvidenceOf(r, kill_entry);
}

// A single fallback warning names the exception class whose traceback the
// failing client logs; with no trace or logger in common, only the name ties
// it. A runtime exception class (asyncio's) ties nothing: many problems raise it.
TEST(Correlate, NamingTheSameLibraryExceptionWhileBothAreLoggedMerges) {
  Builder b;
  const uint32_t tb = b.Template(
      "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/redis/asyncio/connection.py\", "
      "line 275, in connect\nredis.exceptions.ConnectionError: Error 111 connecting to <IP>:6379. Connection refused.");
  const uint32_t fallback = b.Template(
      "Rate limiter backend unavailable (redis.exceptions.ConnectionError) - falling back to in-memory limits for "
      "<NUM> routes");
  const uint32_t llm = b.Template("LLM call timed out: asyncio.exceptions.TimeoutError after <NUM> s");
  const uint32_t db = b.Template("Query cancelled: asyncio.exceptions.TimeoutError in get_threads");
  const uint32_t inst = b.Instance(0, 3600, 500);
  for (int i = 0; i < 20; ++i) {
    b.Add(tb, 600 + i * 40).instance = inst;
    b.Add(llm, 100 + i * 170, Severity::kWarning).instance = inst;
    b.Add(db, 150 + i * 170, Severity::kWarning).instance = inst;
  }
  b.Add(fallback, 1000, Severity::kWarning).instance = inst;
  CorrelationResult r = b.Run();
  const size_t tb_entry = 0, llm_entry = 1, db_entry = 2, fallback_entry = 60;
  EXPECT_TRUE(Same(r, tb_entry, fallback_entry));
  EXPECT_FALSE(Same(r, llm_entry, db_entry));
  EXPECT_FALSE(Same(r, tb_entry, llm_entry));
  const std::string all = EvidenceOf(r, tb_entry);
  EXPECT_NE(all.find("redis.exceptions.ConnectionError"), std::string::npos) << all;
}

// A fallback that engaged once, at the outage's first failure, names the
// exception only the outage's tracebacks raise, ten minutes later: their
// templates' times do not overlap, but the groups they belong to do.
TEST(Correlate, AOneOffWarningNamingTheExceptionJoinsTheGroupThatRaisesIt) {
  Builder b;
  const uint32_t attempt = b.Template("Redis reconnection attempt <NUM>/<NUM> failed: Error <NUM> connecting");
  const uint32_t op = b.Template("Redis operation failed: Error <NUM> connecting to <IP>:<NUM>");
  const uint32_t tb = b.Template(
      "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/redis/asyncio/connection.py\", "
      "line 275, in connect\nredis.exceptions.ConnectionError: Error 111 connecting to <IP>:6379.");
  const uint32_t fallback = b.Template(
      "Rate limiter backend unavailable (redis.exceptions.ConnectionError) - falling back to in-memory limits");
  const uint32_t log = b.Logger("app.services.redis_client");
  const uint32_t inst = b.Instance(0, 3600, 500);
  for (int i = 0; i < 10; ++i) {  // 1000 .. 1900 s, every 100 s
    EntryFacts& a = b.Add(attempt, 1000 + i * 100, Severity::kWarning);
    a.instance = inst;
    a.logger = log;
    EntryFacts& o = b.Add(op, 1001 + i * 100);
    o.instance = inst;
    o.logger = log;
    o.trace = 500 + i;
  }
  for (int i = 5; i < 10; ++i) {  // the second half of the failures log their traceback too
    EntryFacts& e = b.Add(tb, 1001.5 + i * 100);
    e.instance = inst;
    e.trace = 500 + i;
  }
  b.Add(fallback, 1000.5, Severity::kWarning).instance = inst;  // 650 s before the first traceback
  CorrelationResult r = b.Run();
  const size_t first_attempt = 0, first_tb = 20, fallback_entry = 25;
  ASSERT_TRUE(Same(r, first_attempt, first_tb));
  EXPECT_TRUE(Same(r, first_tb, fallback_entry));
  const std::string all = EvidenceOf(r, first_tb);
  EXPECT_NE(all.find("while their groups are logged"), std::string::npos) << all;
}

// A circuit breaker opens on an instance within a minute of that instance's
// failures, in other requests and from another logger; on instances that
// did not fail it never opens. A third problem on other instances stays apart.
TEST(Correlate, ACircuitBreakerOpeningAfterAnInstancesFailuresJoinsThem) {
  Builder b;
  const uint32_t fail = b.Template("LLM request failed for agent <*>: Error code: 429");
  const uint32_t breaker = b.Template("Circuit breaker <*> OPEN after <NUM> consecutive failures");
  const uint32_t disk = b.Template("Disk usage above <NUM>% on /tmp");
  const uint32_t llm_log = b.Logger("app.llm.llm_manager");
  const uint32_t cb_log = b.Logger("app.core.circuit_breaker");
  std::vector<uint32_t> inst;
  for (int k = 0; k < 5; ++k) inst.push_back(b.Instance(0, 3600, 500));
  // Bursts of failures on instances 0..3 at different times.
  const double bursts[4] = {400, 1300, 2100, 3000};
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 6; ++i) {
      EntryFacts& e = b.Add(fail, bursts[k] + i * 3);
      e.instance = inst[k];
      e.trace = 100 + k * 10 + i;
      e.logger = llm_log;
    }
  }
  // It opens after the last three bursts (so it does not start and stop
  // with the failures: no episode evidence).
  size_t first_breaker = b.in.entries.size();
  for (int k = 1; k < 4; ++k) {
    EntryFacts& e = b.Add(breaker, bursts[k] + 15 + 20 + k * 10, Severity::kWarning);
    e.instance = inst[k];
    e.logger = cb_log;
  }
  size_t first_disk = b.in.entries.size();
  for (int i = 0; i < 12; ++i) b.Add(disk, 200 + i * 280, Severity::kWarning).instance = inst[4];
  CorrelationResult r = b.Run();
  EXPECT_TRUE(Same(r, 0, first_breaker));
  EXPECT_TRUE(Same(r, 0, first_breaker + 2));
  EXPECT_FALSE(Same(r, 0, first_disk));
  const std::string all = EvidenceOf(r, 0);
  EXPECT_NE(all.find("on the same instance"), std::string::npos) << all;
}

// The same, with a steady stream of slow-request warnings on those instances:
// it is near every breaker line too, but no more than it is near any moment,
// so it does not stand in the way.
TEST(Correlate, ADenseGroupNearEverythingDoesNotHideTheBreakersFailures) {
  Builder b;
  const uint32_t fail = b.Template("LLM request failed for agent <*>: Error code: 429");
  const uint32_t breaker = b.Template("Circuit breaker <*> OPEN after <NUM> consecutive failures");
  const uint32_t slow = b.Template("Slow request: GET /api/threads took <DURATION>");
  std::vector<uint32_t> inst;
  for (int k = 0; k < 4; ++k) inst.push_back(b.Instance(0, 3600, 500));
  const double bursts[4] = {300, 1200, 2100, 3000};
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 3; ++i) {
      EntryFacts& e = b.Add(fail, bursts[k] + i);
      e.instance = inst[k];
      e.trace = 100 + k * 10 + i;
    }
  }
  // It opens after the last three bursts (no episode evidence).
  const size_t first_breaker = b.in.entries.size();
  for (int k = 1; k < 4; ++k) b.Add(breaker, bursts[k] + 35 + k * 5, Severity::kWarning).instance = inst[k];
  const size_t first_slow = b.in.entries.size();
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 180; ++i) {
      EntryFacts& e = b.Add(slow, 40 + i * 20 + k * 7, Severity::kWarning);
      e.instance = inst[k];
      e.trace = 1000 + k * 1000 + i;
    }
  }
  CorrelationResult r = b.Run();
  EXPECT_TRUE(Same(r, 0, first_breaker)) << EvidenceOf(r, first_breaker);
  EXPECT_FALSE(Same(r, 0, first_slow));
  EXPECT_NE(EvidenceOf(r, 0).find("the next group's"), std::string::npos) << EvidenceOf(r, 0);
  // Two groups as far above chance would leave it ambiguous: no merge.
  CorrelationOptions strict;
  strict.stray_ahead = 1e9;
  EXPECT_FALSE(Same(Correlate(b.in, strict), 0, first_breaker));
}

// A breaker logged now and then on other instances, never right next to a
// failure, but only while the failures come in bursts: it joins them. A
// traced warning in other requests at the same moments, and one at other
// times, stay apart.
TEST(Correlate, AWarningLoggedOnlyDuringAnErrorBurstJoinsIt) {
  Builder b;
  const uint32_t fail = b.Template("LLM request failed for agent <*>: Error code: 429");
  const uint32_t breaker = b.Template("Circuit breaker <*> OPEN after <NUM> consecutive failures");
  const uint32_t slow = b.Template("Slow request: GET /api/threads took <DURATION>");
  const uint32_t disk = b.Template("Disk usage above <NUM>% on /tmp");
  const uint32_t serving = b.Instance(0, 3600, 500), other = b.Instance(0, 3600, 500);
  // Two bursts of six minutes, a failure every 40 s: 22% of the hour.
  for (double start : {600.0, 2400.0}) {
    for (double t = start; t <= start + 360; t += 40) {
      EntryFacts& e = b.Add(fail, t);
      e.instance = serving;
      e.trace = static_cast<uint32_t>(t);
    }
  }
  // Each 20 s from the nearest failure (no timing evidence), starting and
  // stopping well inside the bursts (no episode evidence).
  const size_t first_breaker = b.in.entries.size();
  for (double t : {700.0, 820.0, 940.0, 2460.0, 2580.0, 2660.0}) {
    b.Add(breaker, t, Severity::kWarning).instance = other;
  }
  const size_t first_slow = b.in.entries.size();
  for (double t : {780.0, 900.0, 2500.0, 2540.0}) {
    EntryFacts& e = b.Add(slow, t, Severity::kWarning);
    e.instance = serving;
    e.trace = 100000 + static_cast<uint32_t>(t);
  }
  const size_t first_disk = b.in.entries.size();
  for (double t : {1500.0, 1700.0, 1900.0, 3200.0}) b.Add(disk, t, Severity::kWarning).instance = other;
  CorrelationResult r = b.Run();
  EXPECT_TRUE(Same(r, 0, first_breaker)) << EvidenceOf(r, first_breaker);
  EXPECT_TRUE(Same(r, 0, first_breaker + 5));
  EXPECT_NE(EvidenceOf(r, 0).find("bursts: 6 of the 6 clumps"), std::string::npos) << EvidenceOf(r, 0);
  EXPECT_FALSE(Same(r, 0, first_slow)) << EvidenceOf(r, first_slow);
  EXPECT_FALSE(Same(r, 0, first_disk));
  // The rule is what ties them.
  CorrelationOptions off;
  off.burst_chance = 0;
  EXPECT_FALSE(Same(Correlate(b.in, off), 0, first_breaker));
}

// ... but a warning every new instance logs at boot times itself by boots.
TEST(Correlate, StartUpWarningsAreNotInstanceEvidence) {
  Builder b;
  const uint32_t sdk = b.Template("Sentry SDK not available - install sentry-sdk to enable error tracking");
  const uint32_t dep = b.Template("DeprecationWarning: websockets.legacy is deprecated");
  for (int k = 0; k < 6; ++k) {
    const double boot = 300 + k * 500;
    const uint32_t inst = b.Instance(boot, boot + 400, 50);
    b.Add(sdk, boot + 1, Severity::kWarning).instance = inst;
    for (int i = 0; i < 3; ++i) b.Add(dep, boot + 2 + i, Severity::kWarning).instance = inst;
  }
  CorrelationResult r = b.Run();
  EXPECT_FALSE(Same(r, 0, 1));
}

// ... but not when one was logged long after the other had stopped.
TEST(Correlate, NamingTheSameExceptionHoursApartDoesNotMerge) {
  Builder b;
  const uint32_t early = b.Template("Payment webhook failed: stripe.error.APIConnectionError (retrying)");
  const uint32_t late = b.Template("Refund sync aborted: stripe.error.APIConnectionError");
  const uint32_t inst = b.Instance(0, 3600, 500);
  for (int i = 0; i < 10; ++i) {
    b.Add(early, 100 + i * 30).instance = inst;
    b.Add(late, 3000 + i * 30).instance = inst;
  }
  CorrelationResult r = b.Run();
  EXPECT_FALSE(Same(r, 0, 1));
}

// A slow query on a route and a crash in the same route's handler: most
// crashing requests were also slow (the route is slow), but most slow
// requests did not crash. Neither lies within the other: two problems.
TEST(Correlate, TwoProblemsOnTheSameRouteStayApart) {
  Builder b;
  const uint32_t slow = b.Template("slow batch insert took <DURATION>");
  const uint32_t panic = b.Template("panic recovered: runtime error: index out of range [<NUM>] with length <NUM>");
  const uint32_t inst = b.Instance(0, 3600, 900);
  uint32_t trace = 1;
  for (int i = 0; i < 120; ++i, ++trace) {
    EntryFacts& s = b.Add(slow, 100 + i * 25, Severity::kWarning);
    s.instance = inst;
    s.trace = trace;
    if (i % 4 == 0) {  // 30 of the slow requests also crash
      EntryFacts& p = b.Add(panic, 100.5 + i * 25);
      p.instance = inst;
      p.trace = trace;
    }
  }
  for (int i = 0; i < 8; ++i, ++trace) {  // and 8 crash without being slow
    EntryFacts& p = b.Add(panic, 130 + i * 300);
    p.instance = inst;
    p.trace = trace;
  }
  CorrelationResult r = b.Run();
  EXPECT_FALSE(Same(r, 0, 1));
}

// A deploy at t=1000: the new revision's auth errors begin at once, and a
// 404 burst from `clients` addresses begins two minutes later.
CorrelationResult DeployWith404sFrom(int clients) {
  Builder b;
  const uint32_t auth = b.Template("JWT validation failed: signature has expired");
  const uint32_t r404 = b.Template("GET /wp-login.php -> 404");
  const uint32_t new_rev = b.DeployAt1000();
  const uint32_t inst = b.Instance(1000, 3600, 400);
  for (int i = 0; i < 20; ++i) {
    EntryFacts& a = b.Add(auth, 1040 + i * 100);
    a.revision = new_rev;
    a.instance = inst;
    EntryFacts& q = b.Add(r404, 1120 + i * 7.3, Severity::kWarning);
    q.revision = new_rev;
    q.instance = inst;
    q.request = true;
    q.status = 404;
    q.client = 1 + static_cast<uint32_t>(i % clients);
  }
  return b.Run();
}

// A component's tagged warning that first shows up after a deploy, on the
// new revision only, belongs with the component's other warnings (logged on
// both revisions), not with what the deploy broke.
TEST(Correlate, AComponentsWarningBornAfterADeployStaysWithItsComponent) {
  Builder b;
  const uint32_t auth = b.Template("JWT validation failed: signature verification failed");
  const uint32_t boot = b.Template("SSOT WARNING: Found <NUM> WebSocket manager classes");
  const uint32_t use = b.Template("SSOT VALIDATION: Multiple manager instances for user <*>");
  const uint32_t boot_log = b.Logger("app.websocket_core.registry");
  const uint32_t use_log = b.Logger("app.websocket_core.validation");
  const uint32_t old_rev = b.Revision("svc-00041-abc", 0);
  const uint32_t new_rev = b.Revision("svc-00042-def", 1000);
  std::vector<uint32_t> serving;
  for (double start : {0.0, 500.0, 1000.0, 2000.0}) {
    const uint32_t rev = start < 1000 ? old_rev : new_rev;
    const uint32_t inst = b.Instance(start, start < 1000 ? 1000 : 3600, 400);
    EntryFacts& w = b.Add(boot, start + 1, Severity::kWarning);
    w.instance = inst;
    w.revision = rev;
    w.logger = boot_log;
    if (rev == new_rev) serving.push_back(inst);
  }
  for (int i = 0; i < 20; ++i) {
    EntryFacts& a = b.Add(auth, 1040 + i * 100);
    a.revision = new_rev;
    a.instance = serving[i % 2];
    a.trace = 100 + i;
  }
  const size_t first_use = b.in.entries.size();
  for (int i = 0; i < 16; ++i) {
    EntryFacts& u = b.Add(use, 1100 + i * 150, Severity::kWarning);
    u.revision = new_rev;
    u.instance = serving[i % 2];
    u.trace = i < 6 ? 100 + i : 1000 + i;  // some on requests the auth failure also hit
    u.logger = use_log;
  }
  CorrelationResult r = b.Run();
  const size_t boot_entry = 0, auth_entry = 4;
  EXPECT_TRUE(Same(r, boot_entry, first_use)) << EvidenceOf(r, first_use);
  EXPECT_FALSE(Same(r, auth_entry, first_use)) << EvidenceOf(r, first_use);
}

// An auth storm failing 80 of the new revision's 100 requests, and slow
// queries on ten requests, eight of which the storm also failed: as often as
// chance, so two things the deploy broke. With 2,000 requests served, the
// same overlap is far above chance and the deploy ties them.
CorrelationResult DeployWithStormAndSlowQueries(uint32_t answered) {
  Builder b;
  const uint32_t auth = b.Template("Token validation failed for request <*>");
  const uint32_t slow = b.Template("Slow query (<DURATION>): SELECT threads.id FROM threads");
  const uint32_t new_rev = b.DeployAt1000();
  const uint32_t inst = b.Instance(1000, 3600, answered);
  for (uint32_t i = 0; i < 80; ++i) {
    EntryFacts& a = b.Add(auth, 1020 + i * 30, Severity::kWarning);
    a.revision = new_rev;
    a.instance = inst;
    a.trace = 1 + i;
  }
  for (uint32_t i = 0; i < 10; ++i) {
    EntryFacts& q = b.Add(slow, i < 8 ? 1020 + i * 30 : 2000 + i * 250, Severity::kWarning);
    q.revision = new_rev;
    q.instance = inst;
    q.trace = i < 8 ? 1 + i : 900 + i;
  }
  return b.Run();
}

TEST(Correlate, TwoThingsADeployBrokeSharingRequestsByChanceStayApart) {
  const size_t auth_entry = 1, slow_entry = 81;
  CorrelationResult chance = DeployWithStormAndSlowQueries(100);
  EXPECT_FALSE(Same(chance, auth_entry, slow_entry)) << EvidenceOf(chance, slow_entry);
  CorrelationResult tied = DeployWithStormAndSlowQueries(2000);
  EXPECT_TRUE(Same(tied, auth_entry, slow_entry));
  EXPECT_NE(EvidenceOf(tied, slow_entry).find("deploy:"), std::string::npos) << EvidenceOf(tied, slow_entry);
}

// Instances the platform kills for memory after a deploy are the new
// revision's because every instance is: the kills are not tied to what the
// deploy broke.
TEST(Correlate, KillsAfterADeployAreNotWhatItBroke) {
  Builder b;
  const uint32_t auth = b.Template("Token signature verification failed for service user");
  const uint32_t high = b.Template("Memory usage high: <NUM>/<NUM> MiB");
  const uint32_t oom = b.Template("Memory limit of <NUM> MiB exceeded with <NUM> MiB used");
  const uint32_t new_rev = b.DeployAt1000();
  const uint32_t serving = b.Instance(1000, 3600, 500);
  for (int i = 0; i < 25; ++i) {
    EntryFacts& a = b.Add(auth, 1050 + i * 100);
    a.revision = new_rev;
    a.instance = serving;
  }
  const size_t first_high = b.in.entries.size();
  for (double start : {1180.0, 1580.0}) {
    const uint32_t inst = b.Instance(start - 150, start + 46, 100);
    for (int k = 0; k < 3; ++k) {
      EntryFacts& h = b.Add(high, start + k * 20, Severity::kWarning);
      h.revision = new_rev;
      h.instance = inst;
    }
    EntryFacts& kill = b.Add(oom, start + 45);
    kill.revision = new_rev;
    kill.instance = inst;
    kill.platform = true;
  }
  CorrelationResult r = b.Run();
  const size_t auth_entry = 1;
  ASSERT_TRUE(Same(r, first_high, first_high + 3)) << EvidenceOf(r, first_high);  // the kill
  EXPECT_NE(EvidenceOf(r, first_high).find("death:"), std::string::npos) << EvidenceOf(r, first_high);
  EXPECT_FALSE(Same(r, auth_entry, first_high)) << EvidenceOf(r, first_high);
}

TEST(Correlate, ADeployTiesWhatItBreaksForEveryClient) {
  // Control: the same 404s from twenty addresses are evidence of the deploy.
  CorrelationResult r = DeployWith404sFrom(20);
  EXPECT_TRUE(Same(r, 1, 2));
  const std::string all = EvidenceOf(r, 1);
  EXPECT_NE(all.find("deploy:"), std::string::npos) << all;
}

// A deploy breaks the session endpoint and, separately, a page's renderer:
// each fails in its own requests, so the deploy alone does not tie them.
TEST(Correlate, TwoThingsADeployBrokeInSeparateRequestsStayApart) {
  Builder b;
  const uint32_t session = b.Template("[next-auth][error][JWT_SESSION_ERROR] decryption operation failed");
  const uint32_t render = b.Template("Unhandled error rendering /chat/[id]: TypeError: Cannot read properties of undefined");
  const uint32_t new_rev = b.DeployAt1000("web");
  const uint32_t inst = b.Instance(1000, 3600, 400);
  for (int i = 0; i < 20; ++i) {
    EntryFacts& a = b.Add(session, 1030 + i * 113);
    a.revision = new_rev;
    a.instance = inst;
    a.trace = 100 + i;
    EntryFacts& r = b.Add(render, 1090 + i * 97);
    r.revision = new_rev;
    r.instance = inst;
    r.trace = 200 + i;
  }
  CorrelationResult r = b.Run();
  EXPECT_FALSE(Same(r, 1, 2));
}

// The cause shows once per new instance at start-up: two instances, two
// lines, yet the deploy ties them to the failures they cause.
TEST(Correlate, AStartUpErrorOnEachNewInstanceJoinsTheDeploysFailures) {
  Builder b;
  const uint32_t cause = b.Template("JWT secret not configured for staging environment");
  const uint32_t auth = b.Template("Token validation failed for request <*>: Signature verification failed");
  const uint32_t new_rev = b.DeployAt1000("api");
  for (int k = 0; k < 2; ++k) {
    const uint32_t inst = b.Instance(1000 + k * 200, 3600, 300);
    EntryFacts& c = b.Add(cause, 1001 + k * 200);
    c.revision = new_rev;
    c.instance = inst;
    for (int i = 0; i < 10; ++i) {
      EntryFacts& a = b.Add(auth, 1100 + k * 200 + i * 150, Severity::kWarning);
      a.revision = new_rev;
      a.instance = inst;
    }
  }
  CorrelationResult r = b.Run();
  EXPECT_TRUE(Same(r, 1, 2));
}

TEST(Correlate, AScanFromTwoAddressesIsNotDeployEvidence) {
  CorrelationResult r = DeployWith404sFrom(2);
  EXPECT_FALSE(Same(r, 1, 2));
}

// New instances crash-loop on a database they cannot reach; the instances
// still serving fail their requests on it from the same moment until they
// are replaced. `offset`: when those errors begin, after the crash loop's first.
CorrelationResult CrashLoopWithServingErrorsAt(double offset) {
  Builder b;
  const uint32_t fatal = b.Template("TimeoutError in _phase3_database_setup");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t session = b.Template("Database session error in get_request_scoped_db_session: connection was closed");
  const uint32_t serving = b.Instance(0, 3600, 800);
  for (int i = 0; i < 6; ++i) b.CrashingInstance(1000 + i * 120, fatal, exit3);
  for (int i = 0; i < 5; ++i) b.Add(session, 1030 + offset + i * 9).instance = serving;
  return b.Run();
}

TEST(Correlate, ErrorsOnServingInstancesThatBeginWithACrashLoopJoinIt) {
  CorrelationResult r = CrashLoopWithServingErrorsAt(-8);
  const size_t fatal_entry = 0, session_entry = 12;
  EXPECT_TRUE(Same(r, fatal_entry, session_entry));
  const std::string all = EvidenceOf(r, fatal_entry);
  EXPECT_NE(all.find("crash onset:"), std::string::npos) << all;
  // Beginning minutes later, they are something else.
  CorrelationResult later = CrashLoopWithServingErrorsAt(200);
  EXPECT_FALSE(Same(later, fatal_entry, session_entry));
}

// The same errors, some of them logged on a looping instance before it died:
// more tied to the loop, not less.
TEST(Correlate, OnsetErrorsPartlyOnTheLoopingInstancesJoinIt) {
  Builder b;
  const uint32_t fatal = b.Template("TimeoutError in _phase3_database_setup");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t session = b.Template("Database session error in get_request_scoped_db_session: connection was closed");
  const uint32_t serving = b.Instance(0, 3600, 800);
  std::vector<uint32_t> looping;
  for (int i = 0; i < 6; ++i) looping.push_back(b.CrashingInstance(1000 + i * 120, fatal, exit3));
  const size_t first_session = b.in.entries.size();
  for (int i = 0; i < 6; ++i) b.Add(session, 1020 + i * 9).instance = i % 2 ? serving : looping[0];
  CorrelationResult r = b.Run();
  EXPECT_TRUE(Same(r, 0, first_session)) << EvidenceOf(r, first_session);
  EXPECT_TRUE(Same(r, 0, first_session + 1));
}

// Another problem firing alongside those errors is not timed into the loop:
// a loop's onset sets off errors everywhere at once.
TEST(Correlate, ErrorsFiringAlongsideACrashLoopsAreNotTimedIntoIt) {
  Builder b;
  const uint32_t fatal = b.Template("TimeoutError in _phase3_database_setup");
  const uint32_t exit3 = b.Template("Container called exit(<NUM>).");
  const uint32_t session = b.Template("Database session error in get_request_scoped_db_session: connection was closed");
  const uint32_t llm = b.Template("LLM request failed for agent <*>: Error code: 429");
  const uint32_t serving = b.Instance(0, 3600, 800), other = b.Instance(0, 3600, 800);
  for (int i = 0; i < 6; ++i) b.CrashingInstance(1000 + i * 120, fatal, exit3);
  const size_t first_session = b.in.entries.size();
  for (int i = 0; i < 41; ++i) b.Add(session, 1022 + i * 9).instance = serving;
  // Within 3 s of a session error each time, from the fourth minute on.
  const size_t first_llm = b.in.entries.size();
  for (int i = 0; i < 20; ++i) b.Add(llm, 1203 + i * 9).instance = other;
  CorrelationResult r = b.Run();
  EXPECT_TRUE(Same(r, 0, first_session)) << EvidenceOf(r, first_session);
  EXPECT_FALSE(Same(r, 0, first_llm)) << EvidenceOf(r, first_llm);
}

// One component reports one design problem in two ways: a warning as each
// instance boots and another on requests later; they share no request, no
// time and few words, only the component's tag and package.
struct TaggedComponent {
  Builder b;
  uint32_t boot, use;
  TaggedComponent(const std::string& other_logger) {
    boot = b.Template("CACHE WARNING: Found <NUM> cache backends registered: [<LIST>]");
    use = b.Template("CACHE CHECK: stale entry served for key <ID> - refresh skipped");
    const uint32_t boot_log = b.Logger("shop.app.cache_layer.registry");
    const uint32_t use_log = b.Logger(other_logger);
    for (int i = 0; i < 4; ++i) {
      const double start = 100 + i * 800;
      const uint32_t inst = b.Instance(start, start + 790, 300);
      EntryFacts& w = b.Add(boot, start + 1, Severity::kWarning);
      w.instance = inst;
      w.logger = boot_log;
      for (int k = 0; k < 5; ++k) {
        EntryFacts& u = b.Add(use, start + 200 + k * 97, Severity::kWarning);
        u.instance = inst;
        u.trace = 1000 + i * 10 + k;
        u.logger = use_log;
      }
    }
  }
};

TEST(Correlate, OneComponentsTaggedWarningsFromOnePackageMerge) {
  TaggedComponent c("shop.app.cache_layer.reader");
  CorrelationResult r = c.b.Run();
  EXPECT_EQ(r.incident_count, 1u);
  bool explained = false;
  for (const auto& why : r.evidence[r.incident_of_entry[0]]) explained |= why.find("`CACHE`") != std::string::npos;
  EXPECT_TRUE(explained);
}

TEST(Correlate, TaggedErrorsOfOneComponentStayApart) {
  // Each error of a component deserves its own issue: a tag alone does not
  // merge them.
  TaggedComponent c("shop.app.cache_layer.reader");
  for (EntryFacts& e : c.b.in.entries) {
    if (e.tmpl == c.use) e.severity = Severity::kError;
  }
  CorrelationResult r = c.b.Run();
  EXPECT_EQ(r.incident_count, 2u);
}

TEST(Correlate, TheSameTagFromAnotherPackageIsNoEvidence) {
  TaggedComponent c("shop.app.api.handlers");
  CorrelationResult r = c.b.Run();
  EXPECT_EQ(r.incident_count, 2u);
}

// `logger.error(f"Redis operation failed: {e}")` beside the traceback that
// raised `e`, on other instances at other moments: the message, with its
// values masked, is the evidence. A runtime's stock phrase is not, unless
// quoted with its class; and two tracebacks raising the same error are left
// to their frames.
TEST(Correlate, ALineQuotingTheErrorATracebackRaisesJoinsIt) {
  Builder b;
  const uint32_t tb = b.Template(
      "Traceback (most recent call last):\n  File \"/app/services/session_cache.py\", line <NUM>, in get_session\n"
      "redis.exceptions.ConnectionError: Error <NUM> connecting to <IP>:<NUM>. Connection refused.");
  const uint32_t op = b.Template("Redis readiness: GRACEFUL DEGRADATION - Exception Error <NUM> connecting to <IP>:<NUM>. "
                                 "Connection refused. in staging");
  const uint32_t key_tb = b.Template(
      "Traceback (most recent call last):\n  File \"/app/routes/users.py\", line <NUM>, in get_preferences\n"
      "    theme = prefs[\"theme\"]\nKeyError: 'theme'");
  const uint32_t key_line = b.Template("Unhandled error in GET /api/users/{user_id}/preferences: KeyError: 'theme' "
                                       "(request_id=req_<NUM>)");
  const uint32_t type_tb = b.Template(
      "Traceback (most recent call last):\n  File \"/app/routes/threads.py\", line <NUM>, in post_message\n"
      "TypeError: 'NoneType' object is not iterable");
  const uint32_t type_line = b.Template("Export of report <NUM> aborted: 'NoneType' object is not iterable");
  const uint32_t other_tb = b.Template(
      "Traceback (most recent call last):\n  File \"/app/workers/sync.py\", line <NUM>, in flush\n"
      "redis.exceptions.ConnectionError: Error <NUM> connecting to <IP>:<NUM>. Connection refused.");
  // Each on an instance of its own, over spans of their own: no other evidence.
  auto inst = [&] { return b.Instance(0, 3600, 500); };
  const uint32_t i1 = inst(), i2 = inst(), i3 = inst(), i4 = inst(), i5 = inst(), i6 = inst(), i7 = inst();
  for (int i = 0; i < 6; ++i) {
    b.Add(tb, 100 + i * 400).instance = i1;
    b.Add(op, 350 + i * 330, Severity::kWarning).instance = i2;
    b.Add(key_tb, 1230 + i * 370).instance = i3;
    b.Add(key_line, 1580 + i * 290).instance = i4;
    b.Add(type_tb, 660 + i * 210).instance = i5;
    b.Add(type_line, 1910 + i * 260).instance = i6;
    b.Add(other_tb, 2790 + i * 130).instance = i7;
  }
  CorrelationResult r = b.Run();
  const size_t tb_e = 0, op_e = 1, key_tb_e = 2, key_line_e = 3, type_tb_e = 4, type_line_e = 5;
  EXPECT_TRUE(Same(r, tb_e, op_e)) << EvidenceOf(r, tb_e);
  EXPECT_NE(EvidenceOf(r, tb_e).find("quoted error"), std::string::npos) << EvidenceOf(r, tb_e);
  EXPECT_TRUE(Same(r, key_tb_e, key_line_e)) << EvidenceOf(r, key_tb_e);
  EXPECT_NE(EvidenceOf(r, key_tb_e).find("KeyError: 'theme'"), std::string::npos) << EvidenceOf(r, key_tb_e);
  EXPECT_EQ(EvidenceOf(r, type_tb_e).find("quoted error"), std::string::npos) << EvidenceOf(r, type_tb_e);
  EXPECT_EQ(EvidenceOf(r, type_line_e).find("quoted error"), std::string::npos) << EvidenceOf(r, type_line_e);
  EXPECT_FALSE(Same(r, key_tb_e, tb_e));
  // other_tb raises the Redis error too: no "quotes" evidence between the two tracebacks.
  for (const auto& ev : r.evidence) {
    for (const auto& line : ev) {
      EXPECT_FALSE(line.starts_with("quoted error") && line.find("flush") != std::string::npos &&
                   line.find("get_session") != std::string::npos)
          << line;
    }
  }
  CorrelationOptions off;
  off.quoted_error_words = 0;
  b.in.template_stacks.assign(b.in.template_texts.size(), 0);
  CorrelationResult r_off = Correlate(b.in, off);
  EXPECT_EQ(EvidenceOf(r_off, tb_e).find("quoted error"), std::string::npos);
}

// A circuit breaker named after what it guards, logged now and then on an
// instance the failures are not on: it joins the LLM failures, not the
// database errors logged at the same time.
TEST(Correlate, ACircuitBreakerJoinsTheFailuresItsNameIsAbout) {
  Builder b;
  const uint32_t llm = b.Template("LLM request failed for agent '<*>' (model=gpt-4o-mini): Error code: <NUM> rate limit");
  const uint32_t db = b.Template("Query on threads failed: connection pool exhausted after <DURATION>");
  const uint32_t breaker =
      b.Template("Circuit breaker 'llm_openai' OPEN after <NUM> consecutive failures - rejecting calls for <DURATION>");
  const uint32_t i1 = b.Instance(0, 3600, 500), i2 = b.Instance(0, 3600, 500);
  for (int i = 0; i < 12; ++i) {
    b.Add(llm, 1000 + i * 97).instance = i1;
    b.Add(db, 1010 + i * 89).instance = i1;
  }
  b.Add(breaker, 1500, Severity::kWarning).instance = i2;
  b.Add(breaker, 2100, Severity::kWarning).instance = i2;
  CorrelationResult r = b.Run();
  const size_t llm_e = 0, db_e = 1, breaker_e = 24;
  EXPECT_TRUE(Same(r, llm_e, breaker_e)) << EvidenceOf(r, llm_e);
  EXPECT_NE(EvidenceOf(r, llm_e).find("breaker: "), std::string::npos);
  EXPECT_FALSE(Same(r, llm_e, db_e));
  CorrelationOptions off;
  off.breaker_names = false;
  EXPECT_FALSE(Same(Correlate(b.in, off), llm_e, breaker_e));
}

// Redis refusing connections and the LLM provider's rate limit, failing in
// the same minutes on the same instance: two outages, whose groups raise
// two libraries' exceptions. The breaker named after the LLM calls goes with
// them, not with Redis, though it opens in the same minutes as both.
TEST(Correlate, TwoLibrariesFailingTogetherAreTwoOutages) {
  Builder b;
  const uint32_t redis = b.Template(
      "Cache read failed: redis.exceptions.ConnectionError: Error <NUM> connecting to <IP>:<NUM>");
  const uint32_t llm = b.Template("Agent call aborted: anthropic.RateLimitError: Error code: <NUM> overloaded");
  const uint32_t breaker = b.Template("Circuit breaker 'llm_anthropic' OPEN after <NUM> consecutive failures");
  const uint32_t inst = b.Instance(0, 3600, 500);
  for (int burst = 0; burst < 4; ++burst) {  // four two-minute bursts
    const double t0 = 300 + burst * 800;
    for (int i = 0; i < 8; ++i) {
      b.Add(redis, t0 + i * 15).instance = inst;
      b.Add(llm, t0 + i * 15 + 2).instance = inst;
    }
    b.Add(breaker, t0 + 20, Severity::kWarning).instance = inst;
  }
  CorrelationResult r = b.Run();
  const size_t redis_e = 0, llm_e = 1, breaker_e = 16;
  EXPECT_FALSE(Same(r, redis_e, llm_e)) << EvidenceOf(r, redis_e);
  EXPECT_TRUE(Same(r, llm_e, breaker_e)) << EvidenceOf(r, llm_e);
  CorrelationOptions off;
  off.library_veto = false;
  EXPECT_TRUE(Same(Correlate(b.in, off), redis_e, llm_e));
}

TEST(Correlate, BreakerNames) {
  EXPECT_EQ(BreakerName("Circuit breaker 'llm_openai' OPEN after 5 consecutive failures"), "llm_openai");
  EXPECT_EQ(BreakerName("CircuitBreaker 'backendA' changed state from CLOSED to OPEN"), "backendA");
  EXPECT_EQ(BreakerName("circuit breaker [redis-cache] opened"), "redis-cache");
  EXPECT_EQ(BreakerName("Circuit breaker payments tripped"), "payments");
  EXPECT_EQ(BreakerName("Circuit breaker OPEN for 30s"), "");
  EXPECT_EQ(BreakerName("breaker is open"), "");
  EXPECT_EQ(BreakerName("no such thing"), "");
  EXPECT_EQ(BreakerName("Circuit breaker payments: open for 30s"), "payments");
  EXPECT_EQ(BreakerName("io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker "
                        "'backendA' is OPEN"),
            "backendA");
  EXPECT_EQ(BreakerName("resilience4j.circuitbreaker.CallNotPermittedException"), "");
}

// A library warns at each new instance's boot that it has no secret, and
// fails to decrypt every session afterwards: its warning joins its only
// error group. A library with two error groups gets no such evidence (which
// of them would the warning explain?), nor does a level in brackets.
TEST(Correlate, ALibrarysWarningsJoinItsOnlyErrors) {
  Builder b;
  const uint32_t warn = b.Template("[next-auth][warn][NO_SECRET] set NEXTAUTH_SECRET in production");
  const uint32_t err = b.Template("[next-auth][error][JWT_SESSION_ERROR] https://<URL> decryption operation failed reading the session cookie; client sees a blank page after redirect");
  const uint32_t pw = b.Template("[prisma][warn] connection pool nearly full (<NUM> of <NUM>)");
  const uint32_t pe1 = b.Template("[prisma][error] query timed out after <DURATION>");
  const uint32_t pe2 = b.Template("[prisma][error] unique constraint failed on users.email");
  const uint32_t lw = b.Template("[WARN] cache size above <NUM> MB");
  const uint32_t le = b.Template("[ERROR] upstream returned <NUM>");
  auto inst = [&] { return b.Instance(0, 3600, 500); };
  const uint32_t i1 = inst(), i2 = inst(), i3 = inst(), i4 = inst(), i5 = inst(), i6 = inst(), i7 = inst();
  for (int i = 0; i < 3; ++i) b.Add(warn, 300 + i * 900, Severity::kWarning).instance = i1;
  for (int i = 0; i < 40; ++i) b.Add(err, 310 + i * 71).instance = i2;
  for (int i = 0; i < 5; ++i) b.Add(pw, 500 + i * 433, Severity::kWarning).instance = i3;
  for (int i = 0; i < 8; ++i) b.Add(pe1, 700 + i * 251).instance = i4;
  for (int i = 0; i < 6; ++i) b.Add(pe2, 900 + i * 317).instance = i5;
  for (int i = 0; i < 5; ++i) b.Add(lw, 450 + i * 577, Severity::kWarning).instance = i6;
  for (int i = 0; i < 9; ++i) b.Add(le, 820 + i * 199).instance = i7;
  CorrelationResult r = b.Run();
  const size_t warn_e = 0, err_e = 3, pw_e = 43, pe1_e = 48, pe2_e = 56, lw_e = 62, le_e = 67;
  EXPECT_TRUE(Same(r, warn_e, err_e)) << EvidenceOf(r, err_e);
  EXPECT_NE(EvidenceOf(r, err_e).find("library: "), std::string::npos) << EvidenceOf(r, err_e);
  EXPECT_FALSE(Same(r, pw_e, pe1_e));
  EXPECT_FALSE(Same(r, pw_e, pe2_e));
  EXPECT_FALSE(Same(r, lw_e, le_e));
  EXPECT_FALSE(Same(r, warn_e, pw_e));
  CorrelationOptions off;
  off.library_warnings = false;
  const CorrelationResult r_off = Correlate(b.in, off);
  EXPECT_FALSE(Same(r_off, warn_e, err_e)) << EvidenceOf(r_off, err_e);
}

// Deprecations are one chore: a library's warning and the app's own, on
// other instances at other moments, join; another category does not, nor
// does a group with errors that mentions a deprecation.
TEST(Correlate, WarningsOfOneCategoryJoin) {
  Builder b;
  const uint32_t lib = b.Template(
      "/usr/local/lib/python3.12/site-packages/pydantic/_internal/_config.py:<NUM>: PydanticDeprecatedSince20: "
      "Support for class-based `config` is deprecated");
  const uint32_t app = b.Template(
      "/app/services/thread_service.py:<NUM>: DeprecationWarning: datetime.datetime.utcnow() is deprecated");
  const uint32_t runtime = b.Template("/app/services/jobs.py:<NUM>: RuntimeWarning: coroutine 'flush' was never awaited");
  const uint32_t err = b.Template("Export failed: DeprecationWarning: legacy API removed in version <NUM>");
  auto inst = [&] { return b.Instance(0, 3600, 500); };
  const uint32_t i1 = inst(), i2 = inst(), i3 = inst(), i4 = inst();
  for (int i = 0; i < 4; ++i) b.Add(lib, 200 + i * 700, Severity::kWarning).instance = i1;
  for (int i = 0; i < 5; ++i) b.Add(app, 450 + i * 510, Severity::kWarning).instance = i2;
  for (int i = 0; i < 4; ++i) b.Add(runtime, 800 + i * 610, Severity::kWarning).instance = i3;
  for (int i = 0; i < 4; ++i) b.Add(err, 1000 + i * 430).instance = i4;
  CorrelationResult r = b.Run();
  const size_t lib_e = 0, app_e = 4, runtime_e = 9, err_e = 13;
  EXPECT_TRUE(Same(r, lib_e, app_e)) << EvidenceOf(r, lib_e);
  EXPECT_NE(EvidenceOf(r, lib_e).find("warnings: "), std::string::npos);
  EXPECT_FALSE(Same(r, lib_e, runtime_e));
  EXPECT_FALSE(Same(r, lib_e, err_e));
  CorrelationOptions off;
  off.warning_categories = false;
  EXPECT_FALSE(Same(Correlate(b.in, off), lib_e, app_e));
}

// A warning each instance logs once, over the same minutes as an error
// episode: its span is set by when instances happened to log it, not by the
// errors. No episode evidence.
TEST(Correlate, AWarningLoggedOncePerInstanceGivesNoEpisode) {
  Builder b;
  const uint32_t errs = b.Template("Upstream call to billing failed with <NUM>");
  const uint32_t once = b.Template("websockets.legacy is deprecated; upgrade to the new asyncio implementation");
  const uint32_t main = b.Instance(0, 3600, 500);
  for (int i = 0; i < 7; ++i) b.Add(errs, 1000 + 130 * i).instance = main;  // 1000 .. 1780, never a burst
  const double times[] = {1003, 1200, 1330, 1460, 1590, 1777};
  for (double t : times) b.Add(once, t, Severity::kWarning).instance = b.Instance(0, 3600, 100);
  CorrelationResult r = b.Run();
  const size_t err_e = 0, once_e = 7;
  EXPECT_FALSE(Same(r, err_e, once_e)) << EvidenceOf(r, err_e);
  CorrelationOptions off;
  off.episode_once_per_instance = 0;
  const CorrelationResult r_off = Correlate(b.in, off);
  EXPECT_TRUE(Same(r_off, err_e, once_e)) << EvidenceOf(r_off, err_e);
}

TEST(Correlate, ResultDoesNotDependOnEntryOrder) {
  Builder b;
  const uint32_t a = b.Template("Redis operation failed");
  const uint32_t c = b.Template("Redis reconnection attempt <NUM>/<NUM> failed");
  const uint32_t d = b.Template("Disk almost full on <PATH>");
  for (int i = 0; i < 10; ++i) {
    b.Add(a, 100 + i * 10).logger = 0;
    b.Add(c, 101 + i * 10);
    b.Add(d, 2000 + i * 7, Severity::kWarning);
  }
  CorrelationResult one = b.Run();
  Builder rev = b;
  std::reverse(rev.in.entries.begin(), rev.in.entries.end());
  CorrelationResult two = rev.Run();
  const size_t n = b.in.entries.size();
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      EXPECT_EQ(Same(one, i, j), Same(two, n - 1 - i, n - 1 - j));
    }
  }
}

TEST(Words, StemsSplitsAndSynonyms) {
  EXPECT_EQ(ContentWords("Sentry_SDK not available"), (std::vector<std::string>{"available", "sdk", "sentry"}));
  EXPECT_EQ(ContentWords("JWT token <NUM> rejected"), (std::vector<std::string>{"auth", "reject"}));
  EXPECT_EQ(ContentWords("LlmManager failures"), (std::vector<std::string>{"fail", "llm", "manager"}));
  EXPECT_EQ(NormalizeWord("postgres"), "db");
  EXPECT_EQ(NormalizeWord("reconnecting"), "connect");
}

}  // namespace
}  // namespace lg
