#include "http/router.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <stdexcept>

#include "http/request_context.h"

namespace mailsift::http {

namespace {

std::vector<std::string_view> splitPath(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 1;  // skip the leading '/'
    while (true) {
        const std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            parts.push_back(path.substr(start));
            return parts;
        }
        parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
}

bool isParamName(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

Route::Segment parseSegment(std::string_view pattern, std::string_view text) {
    Route::Segment segment;
    if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
        std::string_view inner = text.substr(1, text.size() - 2);
        segment.isParam = true;
        if (const std::size_t colon = inner.find(':'); colon != std::string_view::npos) {
            if (inner.substr(colon + 1) != "int") {
                throw std::invalid_argument("Route " + std::string(pattern) +
                                            ": the only parameter type is \":int\".");
            }
            segment.isInteger = true;
            inner = inner.substr(0, colon);
        }
        if (!isParamName(inner)) {
            throw std::invalid_argument("Route " + std::string(pattern) +
                                        ": parameter names use letters, digits and '_'.");
        }
        segment.text = std::string(inner);
        return segment;
    }
    if (text.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("Route " + std::string(pattern) +
                                    ": a parameter must be a whole segment, like {id}.");
    }
    segment.text = std::string(text);
    return segment;
}

std::string displayPattern(const std::vector<Route::Segment>& segments) {
    std::string out;
    for (const auto& segment : segments) {
        out += '/';
        out += segment.isParam ? "{" + segment.text + "}" : segment.text;
    }
    return out;
}

std::string decodeSegment(std::string_view raw) {
    std::string decoded;
    try {
        Poco::URI::decode(std::string(raw), decoded);
    } catch (const Poco::Exception&) {
        decoded = std::string(raw);
    }
    return decoded;
}

/// Matches a route's segments against the request path; fills params when it matches.
bool matches(const Route& route, const std::vector<std::string_view>& parts, PathParams* params) {
    if (route.segments.size() != parts.size()) {
        return false;
    }
    PathParams found;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const Route::Segment& segment = route.segments[i];
        if (!segment.isParam) {
            if (segment.text != parts[i]) {
                return false;
            }
            continue;
        }
        if (parts[i].empty()) {
            return false;
        }
        std::string value = decodeSegment(parts[i]);
        if (segment.isInteger && !parseId(value)) {
            return false;
        }
        found.emplace_back(segment.text, std::move(value));
    }
    if (params != nullptr) {
        *params = std::move(found);
    }
    return true;
}

/// True when `a` is more specific than `b`: at the first segment where they differ in kind, `a`
/// has a literal.
bool moreSpecific(const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
        if (a.segments[i].isParam != b.segments[i].isParam) {
            return !a.segments[i].isParam;
        }
    }
    return false;
}

}  // namespace

void Router::add(std::string_view method, std::string_view pattern, Handler handler,
                 RouteOptions options) {
    if (pattern.empty() || pattern.front() != '/') {
        throw std::invalid_argument("Route " + std::string(pattern) + " must start with '/'.");
    }
    if (method.empty() || !handler) {
        throw std::invalid_argument("Route " + std::string(pattern) +
                                    " needs a method and a handler.");
    }
    Route route;
    route.method = std::string(method);
    for (const std::string_view part : splitPath(pattern)) {
        route.segments.push_back(parseSegment(pattern, part));
    }
    for (std::size_t i = 0; i < route.segments.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (route.segments[i].isParam && route.segments[j].isParam &&
                route.segments[i].text == route.segments[j].text) {
                throw std::invalid_argument("Route " + std::string(pattern) +
                                            " names a parameter twice.");
            }
        }
    }
    route.pattern = displayPattern(route.segments);
    for (const Route& existing : routes_) {
        if (existing.method == route.method && existing.pattern == route.pattern) {
            throw std::invalid_argument("Route " + route.method + " " + route.pattern +
                                        " is registered twice.");
        }
    }
    route.handler = std::move(handler);
    route.options = options;
    routes_.push_back(std::move(route));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
    RouteMatch result = matchExactly(method, path);
    if (result.kind != RouteMatch::Kind::found && method == "HEAD") {
        // HEAD is GET without the body (Poco sends only the headers of a HEAD response).
        RouteMatch asGet = matchExactly("GET", path);
        if (asGet.kind == RouteMatch::Kind::found) {
            return asGet;
        }
    }
    if (result.kind == RouteMatch::Kind::methodNotAllowed &&
        std::find(result.allowed.begin(), result.allowed.end(), "GET") != result.allowed.end() &&
        std::find(result.allowed.begin(), result.allowed.end(), "HEAD") == result.allowed.end()) {
        result.allowed.push_back("HEAD");
        std::sort(result.allowed.begin(), result.allowed.end());
    }
    return result;
}

RouteMatch Router::matchExactly(std::string_view method, std::string_view path) const {
    RouteMatch result;
    if (path.empty() || path.front() != '/') {
        return result;
    }
    const std::vector<std::string_view> parts = splitPath(path);
    const Route* best = nullptr;
    for (const Route& route : routes_) {
        if (!matches(route, parts, nullptr)) {
            continue;
        }
        if (route.method != method) {
            if (std::find(result.allowed.begin(), result.allowed.end(), route.method) ==
                result.allowed.end()) {
                result.allowed.push_back(route.method);
            }
            continue;
        }
        if (best == nullptr || moreSpecific(route, *best)) {
            best = &route;
        }
    }
    if (best != nullptr) {
        result.kind = RouteMatch::Kind::found;
        result.route = best;
        matches(*best, parts, &result.params);
        result.allowed.clear();
        return result;
    }
    if (!result.allowed.empty()) {
        std::sort(result.allowed.begin(), result.allowed.end());
        result.kind = RouteMatch::Kind::methodNotAllowed;
    }
    return result;
}

}  // namespace mailsift::http
