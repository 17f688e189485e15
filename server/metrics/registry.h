#pragma once

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/counter.h"
#include "metrics/histogram.h"
#include "metrics/labels.h"

namespace mailsift::metrics {

/// Bucket upper bounds (seconds) suited to request and job-step latencies: 5 ms .. 10 s.
std::vector<double> defaultLatencyBuckets();

/// The process's metrics, rendered in the Prometheus text exposition format 0.0.4.
///
/// A metric (family) has a name, a help text and a type; each distinct label set is one series.
/// Asking for a series that exists returns the same object, so a caller may either keep the
/// reference (cheapest: the hot path is then one atomic add) or ask each time (a shared lock and a
/// map lookup). References stay valid for the registry's lifetime; series are never removed,
/// except callback gauges. Every member is thread-safe.
///
/// Misuse by the programmer (invalid names, one name registered with two types or two bucket
/// layouts, duplicate label names) throws std::invalid_argument at registration.
class Registry {
  public:
    Registry() = default;
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    /// The counter series `name{labels}`, created at 0 on first use.
    Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});

    /// The histogram series `name{labels}` with the given finite, strictly increasing bucket upper
    /// bounds (+Inf is implicit). Every series of one name must use the same buckets.
    Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> buckets,
                         const Labels& labels = {});

    /// A gauge series whose value is read by calling `read` at each render(). `read` runs on the
    /// rendering thread under the registry's shared lock: it must be quick, thread-safe and must
    /// not call back into the registry. Registering the same series again replaces the callback.
    /// The callback must stay callable until removeGauge() or the registry's destruction.
    void gauge(std::string_view name, std::string_view help, const Labels& labels,
               std::function<double()> read);

    /// Removes a callback gauge (e.g. when the component it reads from shuts down). Returns false
    /// when no such series exists.
    bool removeGauge(std::string_view name, const Labels& labels = {});

    /// Every metric in text format 0.0.4: families sorted by name, series by labels, each family
    /// preceded by its HELP and TYPE lines.
    std::string render() const;

  private:
    enum class Type { counter, histogram, gauge };

    struct Series {
        Labels labels;  ///< sorted by name
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Histogram> histogram;
        std::function<double()> gauge;
    };

    struct Family {
        Type type = Type::counter;
        std::string help;
        std::vector<double> buckets;                        ///< histograms only
        std::map<std::string, Series, std::less<>> series;  ///< by rendered label set
    };

    static const char* typeName(Type type);
    /// Finds the series under a shared lock; nullptr when the family or series does not exist.
    const Series* findSeries(std::string_view name, std::string_view key) const;
    /// Finds or creates the family and series under an exclusive lock.
    Series& createSeries(std::string_view name, std::string_view help, Type type,
                         const std::vector<double>& buckets, const Labels& sortedLabels,
                         const std::string& key);

    mutable std::shared_mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;
};

}  // namespace mailsift::metrics
