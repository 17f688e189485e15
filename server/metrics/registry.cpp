#include "metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>
#include <stdexcept>

#include "metrics/text_format.h"

namespace mailsift::metrics {

namespace {

/// Checks the label names and returns the labels sorted by name.
Labels canonicalLabels(std::string_view metricName, const Labels& labels, bool isHistogram) {
    Labels sorted = labels;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const std::string& labelName = sorted[i].first;
        if (!text_format::isValidLabelName(labelName)) {
            throw std::invalid_argument("Metric " + std::string(metricName) + ": label name \"" +
                                        labelName + "\" is not valid; use [a-zA-Z_][a-zA-Z0-9_]*.");
        }
        if (isHistogram && labelName == "le") {
            throw std::invalid_argument("Metric " + std::string(metricName) +
                                        ": a histogram cannot have a label named \"le\".");
        }
        if (i > 0 && sorted[i - 1].first == labelName) {
            throw std::invalid_argument("Metric " + std::string(metricName) + ": label \"" +
                                        labelName + "\" is given twice.");
        }
    }
    return sorted;
}

void checkMetricName(std::string_view name) {
    if (!text_format::isValidMetricName(name)) {
        throw std::invalid_argument("Metric name \"" + std::string(name) +
                                    "\" is not valid; use [a-zA-Z_:][a-zA-Z0-9_:]*.");
    }
}

void checkBuckets(std::string_view name, const std::vector<double>& buckets) {
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        if (!std::isfinite(buckets[i]) || (i > 0 && !(buckets[i - 1] < buckets[i]))) {
            throw std::invalid_argument("Histogram " + std::string(name) +
                                        ": bucket bounds must be finite and strictly increasing.");
        }
    }
}

}  // namespace

const char* Registry::typeName(Type type) {
    switch (type) {
        case Type::counter:
            return "counter";
        case Type::histogram:
            return "histogram";
        case Type::gauge:
            return "gauge";
    }
    return "untyped";
}

std::vector<double> defaultLatencyBuckets() {
    return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
}

const Registry::Series* Registry::findSeries(std::string_view name, std::string_view key) const {
    std::shared_lock lock(mutex_);
    const auto family = families_.find(name);
    if (family == families_.end()) {
        return nullptr;
    }
    const auto series = family->second.series.find(key);
    return series == family->second.series.end() ? nullptr : &series->second;
}

Registry::Series& Registry::createSeries(std::string_view name, std::string_view help, Type type,
                                         const std::vector<double>& buckets,
                                         const Labels& sortedLabels, const std::string& key) {
    std::unique_lock lock(mutex_);
    auto family = families_.find(name);
    if (family == families_.end()) {
        Family created;
        created.type = type;
        created.help = std::string(help);
        created.buckets = buckets;
        family = families_.emplace(std::string(name), std::move(created)).first;
    } else if (family->second.type != type) {
        throw std::invalid_argument("Metric " + std::string(name) + " is registered as a " +
                                    typeName(family->second.type) +
                                    " already; it cannot also be a " + typeName(type) + ".");
    } else if (type == Type::histogram && family->second.buckets != buckets) {
        throw std::invalid_argument("Histogram " + std::string(name) +
                                    " is registered with other buckets already; use the same.");
    }
    auto [it, inserted] = family->second.series.try_emplace(key);
    if (inserted) {
        it->second.labels = sortedLabels;
        if (type == Type::counter) {
            it->second.counter = std::make_unique<Counter>();
        } else if (type == Type::histogram) {
            it->second.histogram = std::make_unique<Histogram>(buckets);
        }
    }
    return it->second;
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
    checkMetricName(name);
    const Labels sorted = canonicalLabels(name, labels, false);
    const std::string key = text_format::formatLabels(sorted);
    if (const Series* found = findSeries(name, key); found != nullptr && found->counter) {
        return *found->counter;
    }
    Series& series = createSeries(name, help, Type::counter, {}, sorted, key);
    return *series.counter;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               std::vector<double> buckets, const Labels& labels) {
    checkMetricName(name);
    checkBuckets(name, buckets);
    const Labels sorted = canonicalLabels(name, labels, true);
    const std::string key = text_format::formatLabels(sorted);
    if (const Series* found = findSeries(name, key); found != nullptr && found->histogram) {
        if (found->histogram->upperBounds() == buckets) {
            return *found->histogram;
        }
    }
    Series& series = createSeries(name, help, Type::histogram, buckets, sorted, key);
    return *series.histogram;
}

void Registry::gauge(std::string_view name, std::string_view help, const Labels& labels,
                     std::function<double()> read) {
    checkMetricName(name);
    if (!read) {
        throw std::invalid_argument("Gauge " + std::string(name) + " needs a callback.");
    }
    const Labels sorted = canonicalLabels(name, labels, false);
    const std::string key = text_format::formatLabels(sorted);
    Series& series = createSeries(name, help, Type::gauge, {}, sorted, key);
    std::unique_lock lock(mutex_);
    series.gauge = std::move(read);
}

bool Registry::removeGauge(std::string_view name, const Labels& labels) {
    const std::string key = text_format::formatLabels(canonicalLabels(name, labels, false));
    std::unique_lock lock(mutex_);
    const auto family = families_.find(name);
    if (family == families_.end() || family->second.type != Type::gauge) {
        return false;
    }
    const bool removed = family->second.series.erase(key) > 0;
    if (family->second.series.empty()) {
        families_.erase(family);
    }
    return removed;
}

std::string Registry::render() const {
    std::shared_lock lock(mutex_);
    std::string out;
    for (const auto& [name, family] : families_) {
        out += "# HELP " + name + ' ' + text_format::escapeHelp(family.help) + '\n';
        out += "# TYPE " + name + ' ' + typeName(family.type) + '\n';
        for (const auto& [key, series] : family.series) {
            if (series.counter) {
                out += name + key + ' ' + text_format::formatValue(series.counter->value()) + '\n';
            } else if (series.histogram) {
                const auto& bounds = series.histogram->upperBounds();
                const auto counts = series.histogram->cumulativeCounts();
                for (std::size_t i = 0; i < counts.size(); ++i) {
                    const std::string le =
                        i < bounds.size() ? text_format::formatValue(bounds[i]) : "+Inf";
                    out += name + "_bucket" + text_format::formatLabels(series.labels, "le", le) +
                           ' ' + std::to_string(counts[i]) + '\n';
                }
                out += name + "_sum" + key + ' ' +
                       text_format::formatValue(series.histogram->sum()) + '\n';
                out += name + "_count" + key + ' ' + std::to_string(counts.back()) + '\n';
            } else if (series.gauge) {
                double value = 0.0;
                try {
                    value = series.gauge();
                } catch (...) {
                    value = std::nan("");  // a failing reader must not break the whole scrape
                }
                out += name + key + ' ' + text_format::formatValue(value) + '\n';
            }
        }
    }
    return out;
}

}  // namespace mailsift::metrics
