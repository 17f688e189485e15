#include "providers/fake_hubspot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>
#include <thread>

namespace fakes {
namespace {

std::string json(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

ProviderReply error(int status, const std::string& category, const std::string& message) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("status", "error");
    body->set("message", message);
    body->set("category", category);
    body->set("correlationId", "00000000-0000-0000-0000-000000000000");
    return {status, json(body), ""};
}

Poco::JSON::Object::Ptr contactJson(int id, const std::string& email) {
    Poco::JSON::Object::Ptr properties = new Poco::JSON::Object;
    properties->set("email", email);
    properties->set("hs_object_id", std::to_string(id));
    Poco::JSON::Object::Ptr contact = new Poco::JSON::Object;
    contact->set("id", std::to_string(id));
    contact->set("properties", properties);
    contact->set("createdAt", "2026-01-15T10:30:00.000Z");
    contact->set("updatedAt", "2026-01-15T10:30:00.000Z");
    contact->set("archived", false);
    return contact;
}

void setPaging(Poco::JSON::Object& page, std::size_t next, std::size_t total,
               const std::string& link) {
    if (next >= total)
        return;
    Poco::JSON::Object::Ptr nextObject = new Poco::JSON::Object;
    nextObject->set("after", std::to_string(next));
    nextObject->set("link", link + "?after=" + std::to_string(next));
    Poco::JSON::Object::Ptr paging = new Poco::JSON::Object;
    paging->set("next", nextObject);
    page.set("paging", paging);
}

int limitOf(const ProviderRequest& r) {
    const std::string text = r.param("limit");
    return text.empty() ? 10 : std::stoi(text);
}

}  // namespace

FakeHubspot::FakeHubspot(std::string token)
    : token_(std::move(token)),
      server_([this](const ProviderRequest& r) { return handle(r); },
              R"({"status":"error","message":"You have reached your ten_secondly_rolling limit.",)"
              R"("errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"})") {}

void FakeHubspot::addContact(const std::string& email) {
    std::lock_guard lock(mutex_);
    contacts_.push_back(email);
}

void FakeHubspot::addList(const std::string& listId, const std::vector<int>& contactIds) {
    std::lock_guard lock(mutex_);
    lists_[listId] = contactIds;
}

std::map<std::string, std::map<std::string, std::string>> FakeHubspot::written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

std::set<std::string> FakeHubspot::createdProperties() const {
    std::lock_guard lock(mutex_);
    return properties_;
}

int FakeHubspot::updateBatches() const {
    std::lock_guard lock(mutex_);
    return updateBatches_;
}

void FakeHubspot::setStuckCursorAt(int start) {
    std::lock_guard lock(mutex_);
    stuckAt_ = start;
}

void FakeHubspot::setPageDelay(int ms) {
    std::lock_guard lock(mutex_);
    pageDelayMs_ = ms;
}

int FakeHubspot::contactPages() const {
    std::lock_guard lock(mutex_);
    return contactPages_;
}

ProviderReply FakeHubspot::handle(const ProviderRequest& r) {
    if (r.authorization != "Bearer " + token_) {
        return error(401, "INVALID_AUTHENTICATION",
                     "Authentication credentials not found. This API supports OAuth 2.0 "
                     "authentication.");
    }
    int delay = 0;
    {
        std::lock_guard lock(mutex_);
        delay = pageDelayMs_;
    }
    if (delay > 0 && r.method == "GET")
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    std::lock_guard lock(mutex_);
    const std::string kContacts = "/crm/v3/objects/contacts";
    if (r.method == "GET" && r.path == kContacts) {
        const int limit = limitOf(r);
        if (limit < 1 || limit > 100)
            return error(400, "VALIDATION_ERROR", "limit must be between 1 and 100");
        const std::size_t start = r.param("after").empty() ? 0 : std::stoul(r.param("after"));
        ++contactPages_;
        Poco::JSON::Array::Ptr results = new Poco::JSON::Array;
        std::size_t i = start;
        for (; i < contacts_.size() && i < start + static_cast<std::size_t>(limit); ++i)
            results->add(contactJson(static_cast<int>(i + 1), contacts_[i]));
        Poco::JSON::Object::Ptr page = new Poco::JSON::Object;
        page->set("results", results);
        const bool stuck = stuckAt_ >= 0 && start >= static_cast<std::size_t>(stuckAt_);
        setPaging(*page, stuck ? start : i, contacts_.size(), "https://api.hubapi.com" + kContacts);
        return {200, json(page), ""};
    }
    const std::string kLists = "/crm/v3/lists/";
    if (r.method == "GET" && r.path.rfind(kLists, 0) == 0 && r.path.size() > kLists.size() + 12 &&
        r.path.compare(r.path.size() - 12, 12, "/memberships") == 0) {
        const std::string listId = r.path.substr(kLists.size(), r.path.size() - kLists.size() - 12);
        const auto list = lists_.find(listId);
        if (list == lists_.end())
            return error(404, "OBJECT_NOT_FOUND", "List " + listId + " does not exist.");
        const int limit = limitOf(r);
        const std::size_t start = r.param("after").empty() ? 0 : std::stoul(r.param("after"));
        Poco::JSON::Array::Ptr results = new Poco::JSON::Array;
        std::size_t i = start;
        for (; i < list->second.size() && i < start + static_cast<std::size_t>(limit); ++i) {
            Poco::JSON::Object::Ptr member = new Poco::JSON::Object;
            member->set("recordId", std::to_string(list->second[i]));
            member->set("membershipTimestamp", "2026-01-15T10:30:00.000Z");
            results->add(member);
        }
        Poco::JSON::Object::Ptr page = new Poco::JSON::Object;
        page->set("results", results);
        setPaging(*page, i, list->second.size(), "https://api.hubapi.com" + r.path);
        return {200, json(page), ""};
    }
    Poco::JSON::Object::Ptr body;
    if (r.method == "POST") {
        try {
            body = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
        } catch (const std::exception&) {
            return error(400, "VALIDATION_ERROR", "Invalid input JSON");
        }
    }
    if (r.method == "POST" && r.path == kContacts + "/batch/read") {
        Poco::JSON::Array::Ptr inputs = body->getArray("inputs");
        if (!inputs || inputs->size() > 100)
            return error(400, "VALIDATION_ERROR", "inputs: at most 100");
        Poco::JSON::Array::Ptr results = new Poco::JSON::Array;
        for (std::size_t i = 0; i < inputs->size(); ++i) {
            const int id =
                std::stoi(inputs->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            if (id >= 1 && static_cast<std::size_t>(id) <= contacts_.size())
                results->add(contactJson(id, contacts_[static_cast<std::size_t>(id - 1)]));
        }
        Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
        out->set("status", "COMPLETE");
        out->set("results", results);
        return {200, json(out), ""};
    }
    if (r.method == "POST" && r.path == "/crm/v3/properties/contacts") {
        const std::string name = body->optValue<std::string>("name", "");
        if (name.empty() || body->optValue<std::string>("type", "").empty() ||
            body->optValue<std::string>("groupName", "").empty())
            return error(400, "VALIDATION_ERROR", "name, type and groupName are required");
        if (!properties_.insert(name).second)
            return error(409, "OBJECT_ALREADY_EXISTS", "A property named " + name + " exists.");
        return {201, json(body), ""};
    }
    if (r.method == "POST" && r.path == kContacts + "/batch/update") {
        Poco::JSON::Array::Ptr inputs = body->getArray("inputs");
        if (!inputs || inputs->size() > 100)
            return error(400, "VALIDATION_ERROR", "inputs: at most 100 per batch");
        ++updateBatches_;
        for (std::size_t i = 0; i < inputs->size(); ++i) {
            Poco::JSON::Object::Ptr input = inputs->getObject(static_cast<unsigned>(i));
            if (input->optValue<std::string>("idProperty", "") != "email")
                return error(400, "VALIDATION_ERROR", "this fake updates by email only");
            Poco::JSON::Object::Ptr properties = input->getObject("properties");
            for (const auto& [name, value] : *properties) {
                if (!properties_.count(name))
                    return error(400, "VALIDATION_ERROR", "Property " + name + " does not exist");
                written_[input->getValue<std::string>("id")][name] = value.toString();
            }
        }
        return {200, R"({"status":"COMPLETE","results":[]})", ""};
    }
    return error(404, "OBJECT_NOT_FOUND", "No route for " + r.method + " " + r.path);
}

}  // namespace fakes
