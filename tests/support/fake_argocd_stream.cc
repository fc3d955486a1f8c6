// FakeArgoCd's waiting parts: the application event stream, ?refresh= on Get, parking a handler
// until a fake time, and the advancer that moves the clock while every handler is parked (see
// TIME in fake_argocd.h).
#include <httplib.h>

#include <algorithm>
#include <set>

#include "core/strings.h"
#include "support/fake_argocd.h"
#include "support/fake_argocd_json.h"

namespace capstan::testing {
namespace {

using nlohmann::json;
using namespace fake_argocd_json;

}  // namespace

struct FakeArgoCd::Stream {
  std::string key;  // the open_streams_ entry: the name filter, or "*"
  std::string name;
  std::string app_namespace;
  std::set<std::string> projects;
  std::string selector;
  long long min_version = 0;
  std::string fields;
  bool sse = true;
  StreamPlan plan;
  std::map<std::string, std::int64_t> last_version;  // app key -> last state looked at
  std::map<std::string, std::string> last_frame;     // app key -> last message sent
  int frames = 0;                                    // data frames sent

  bool Matches(const ScriptedApps::App& app) const {
    const json& meta = app.doc["metadata"];
    if (app.behavior.forbidden) return false;
    if (!projects.empty() && !projects.count(StringOr(app.doc["spec"], "project", "default"))) {
      return false;
    }
    if (std::stoll(meta.value("resourceVersion", "0")) < min_version) return false;
    if (!name.empty() &&
        (meta.value("name", "") != name ||
         meta.value("namespace", "") != (app_namespace.empty() ? "argocd" : app_namespace))) {
      return false;
    }
    std::string error;
    return MatchLabelSelector(selector, Labels(app.doc), &error).value_or(false);
  }

  // The framed message, or "" when it repeats the last one sent for the app.
  std::string Frame(const std::string& app_key, const char* type, const json& doc) {
    const std::string text =
        TrimStreamFields({{"result", {{"type", type}, {"application", doc}}}}, fields).dump();
    std::string& last = last_frame[app_key];
    if (text == last) return "";
    last = text;
    return sse ? SseFrame(text) : text + "\n";
  }
};

void FakeArgoCd::ServeStream(const httplib::Request& req, httplib::Response& res, int seq) {
  auto stream = std::make_shared<Stream>();
  auto all = [&req](const char* key) {
    std::vector<std::string> out;
    auto [first, last] = req.params.equal_range(key);
    for (auto it = first; it != last; ++it) out.push_back(it->second);
    return out;
  };
  stream->name = req.has_param("name") ? req.get_param_value("name") : "";
  stream->key = stream->name.empty() ? "*" : stream->name;
  stream->app_namespace = req.has_param("appNamespace") ? req.get_param_value("appNamespace") : "";
  for (const char* key : {"projects", "project"}) {
    for (std::string& p : all(key)) stream->projects.insert(std::move(p));
  }
  stream->selector = req.has_param("selector") ? req.get_param_value("selector") : "";
  stream->fields = req.has_param("fields") ? req.get_param_value("fields") : "";
  const std::string rv =
      req.has_param("resourceVersion") ? req.get_param_value("resourceVersion") : "";
  stream->min_version =
      !rv.empty() && rv.find_first_not_of("0123456789") == std::string::npos ? std::stoll(rv) : 0;
  stream->sse = req.get_header_value("Accept") == "text/event-stream";
  if (!stream->sse) {
    AddViolation(seq, req.method + " " + req.path,
                 "stream request without \"Accept: text/event-stream\": Argo CD answers "
                 "newline-delimited JSON, not server-sent events");
  }
  std::string error;
  if (!MatchLabelSelector(stream->selector, {}, &error)) {
    res.status = 500;
    res.set_content(StreamErrorJson(kGrpcUnknown, "error parsing labels with selectors: " + error),
                    "application/json");
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (!stream_plans_.empty()) {
      stream->plan = stream_plans_.front();
      stream_plans_.pop_front();
    }
    open_streams_.insert(stream->key);
  }
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_chunked_content_provider(
      stream->sse ? "text/event-stream" : "application/json",
      [this, stream](size_t, httplib::DataSink& sink) {
        const bool clean = RunStream(*stream, [&sink](const std::string& data) {
          return sink.write(data.data(), data.size());
        });
        if (clean) sink.done();
        return clean;
      },
      [this, stream](bool) {
        std::lock_guard lock(mu_);
        open_streams_.erase(open_streams_.find(stream->key));
      });
}

bool FakeArgoCd::RunStream(Stream& stream, const std::function<bool(const std::string&)>& write) {
  std::unique_lock lock(mu_);
  ++active_;
  struct Leave {
    FakeArgoCd& fake;
    ~Leave() {
      --fake.active_;
      fake.last_activity_ = std::chrono::steady_clock::now();
      fake.cv_.notify_all();
    }
  } leave{*this};
  auto emit = [&](const std::string& data) {
    lock.unlock();
    const bool ok = write(data);
    lock.lock();
    last_activity_ = std::chrono::steady_clock::now();
    return ok;
  };
  auto error_frame = [&] {
    const std::string text =
        StreamErrorJson(stream.plan.error_grpc_code, stream.plan.error_message);
    emit(stream.sse ? SseFrame(text) : text + "\n");
    return true;
  };
  const StreamPlan& plan = stream.plan;
  FakeTime next_keepalive = clock_.Now() + options_.keepalive_interval;
  while (true) {
    if (stopping_) return false;
    if (plan.drop_after_frames >= 0 && stream.frames >= plan.drop_after_frames) return false;
    if (plan.error_after_frames >= 0 && stream.frames >= plan.error_after_frames) {
      return error_frame();
    }
    const FakeTime now = clock_.Now();
    apps_.Settle(now);
    std::vector<std::string> frames;
    for (const ScriptedApps::App* app : apps_.All()) {
      if (!stream.Matches(*app)) continue;
      const std::string key = app->Key();
      auto seen = stream.last_version.find(key);
      if (seen == stream.last_version.end()) {
        frames.push_back(stream.Frame(key, "ADDED", app->doc));
        stream.last_version[key] = app->history.empty() ? 0 : app->history.back().version;
        continue;
      }
      for (const ScriptedApps::Snapshot& s : app->history) {
        if (s.version <= seen->second) continue;
        frames.push_back(stream.Frame(key, "MODIFIED", s.doc));
        seen->second = s.version;
      }
    }
    frames.erase(std::remove(frames.begin(), frames.end(), ""), frames.end());
    if (!frames.empty()) {
      for (const std::string& frame : frames) {
        if (!emit(frame)) return false;
        ++stream.frames;
        if ((plan.drop_after_frames >= 0 && stream.frames >= plan.drop_after_frames) ||
            (plan.error_after_frames >= 0 && stream.frames >= plan.error_after_frames)) {
          break;
        }
      }
      continue;
    }
    if (stream.sse && now >= next_keepalive) {
      while (next_keepalive <= now) next_keepalive += options_.keepalive_interval;
      if (!emit(std::string(kSseKeepalive))) return false;
      continue;
    }
    FakeTime wake =
        apps_.NextEvent([&stream](const ScriptedApps::App& a) { return stream.Matches(a); });
    if (stream.sse) wake = std::min(wake, next_keepalive);
    Park(lock, wake);
  }
}

void FakeArgoCd::ServeRefresh(const httplib::Request& req, httplib::Response& res, int seq,
                              const std::string& ns, const std::string& name,
                              const std::string& project) {
  std::optional<milliseconds> timeout;
  if (req.has_header("Grpc-Timeout")) {
    timeout = ParseGrpcTimeout(req.get_header_value("Grpc-Timeout"));
  } else {
    AddViolation(seq, req.method + " " + req.path,
                 "?refresh= without a Grpc-Timeout header: Argo CD waits for the controller with "
                 "no deadline (argo-cd #21613)");
  }
  std::unique_lock lock(mu_);
  FakeTime now = clock_.Now();
  ApiOutcome out = apps_.Lookup(ns, name, project, now);
  if (out.status == 200) {
    const std::optional<FakeTime> done = apps_.StartRefresh(*apps_.Find(ns, name), now);
    ++generation_;
    cv_.notify_all();
    const FakeTime never = FakeTime::max();
    const FakeTime wake = std::min(done.value_or(never), timeout ? now + *timeout : never);
    if (wake == never) {
      --active_;
      cv_.wait_for(lock, options_.real_time_cap, [this] { return stopping_; });
      ++active_;
    } else {
      while (!stopping_ && clock_.Now() < wake) Park(lock, wake);
    }
    now = clock_.Now();
    out = done && now >= *done ? apps_.Lookup(ns, name, project, now)
                               : Error(kGrpcUnknown, "application refresh deadline exceeded");
  }
  lock.unlock();
  res.status = out.status;
  res.set_content(out.body.dump(), "application/json");
}

void FakeArgoCd::Park(std::unique_lock<std::mutex>& lock, FakeTime wake) {
  const std::uint64_t generation = generation_;
  parked_.insert(wake);
  --active_;
  last_activity_ = std::chrono::steady_clock::now();
  cv_.notify_all();
  cv_.wait(lock, [&] { return stopping_ || generation_ != generation || clock_.Now() >= wake; });
  parked_.erase(parked_.find(wake));
  ++active_;
  last_activity_ = std::chrono::steady_clock::now();
}

void FakeArgoCd::AdvanceLoop() {
  std::unique_lock lock(mu_);
  const auto poll = std::max(std::chrono::milliseconds(1), options_.idle_before_advance / 4);
  while (!stopping_) {
    const FakeTime target = parked_.empty() ? FakeTime::max() : *parked_.begin();
    const auto quiet_until = last_activity_ + options_.idle_before_advance;
    if (target == FakeTime::max() || active_ > 0 ||
        std::chrono::steady_clock::now() < quiet_until || clock_.Now() >= target) {
      cv_.wait_for(lock, poll);
      continue;
    }
    lock.unlock();
    clock_.AdvanceTo(target);
    lock.lock();
    last_activity_ = std::chrono::steady_clock::now();
  }
}

}  // namespace capstan::testing
