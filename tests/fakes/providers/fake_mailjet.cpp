#include "providers/fake_mailjet.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace fakes {
namespace {

std::string json(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

std::string basic(const std::string& user, const std::string& password) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << user << ':' << password;
    encoder.close();
    return "Basic " + out.str();
}

std::string envelope(const Poco::JSON::Array::Ptr& data, std::size_t total) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("Count", data->size());
    out->set("Data", data);
    out->set("Total", total);
    return json(out);
}

ProviderReply mailjetError(int status, const std::string& message) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("ErrorInfo", "");
    body->set("ErrorMessage", message);
    body->set("StatusCode", status);
    return {status, json(body), ""};
}

ProviderReply mailchimpError(int status, const std::string& title, const std::string& detail) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("type", "https://mailchimp.com/developer/marketing/docs/errors/");
    body->set("title", title);
    body->set("status", status);
    body->set("detail", detail);
    body->set("instance", "00000000-0000-0000-0000-000000000000");
    return {status, json(body), ""};
}

std::size_t number(const std::string& text, std::size_t fallback) {
    return text.empty() ? fallback : std::stoul(text);
}

Poco::JSON::Object::Ptr parse(const std::string& body) {
    try {
        return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace

// --- Mailjet ---

FakeMailjet::FakeMailjet(std::string apiKey, std::string apiSecret)
    : authorization_(basic(apiKey, apiSecret)),
      server_([this](const ProviderRequest& r) { return handle(r); },
              R"({"ErrorInfo":"","ErrorMessage":"Too many requests","StatusCode":429})") {}

void FakeMailjet::addContact(const std::string& email) {
    std::lock_guard lock(mutex_);
    contacts_.push_back(email);
}

void FakeMailjet::addList(int listId, const std::vector<int>& contactIds) {
    std::lock_guard lock(mutex_);
    lists_[listId] = contactIds;
}

std::map<std::string, std::map<std::string, std::string>> FakeMailjet::written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

std::set<std::string> FakeMailjet::properties() const {
    std::lock_guard lock(mutex_);
    return properties_;
}

int FakeMailjet::writeCalls() const {
    std::lock_guard lock(mutex_);
    return writeCalls_;
}

ProviderReply FakeMailjet::handle(const ProviderRequest& r) {
    if (r.authorization != authorization_)
        return {401, "", ""};  // Mailjet answers 401 with an empty body
    std::lock_guard lock(mutex_);
    if (r.method == "GET" && r.path == "/v3/REST/contact") {
        const std::size_t limit = number(r.param("Limit"), 10);
        if (limit > 1000)
            return mailjetError(400, "Limit must not exceed 1000");
        const std::size_t offset = number(r.param("Offset"), 0);
        std::vector<int> ids;
        if (const std::string list = r.param("ContactsList"); !list.empty()) {
            const auto found = lists_.find(std::stoi(list));
            if (found != lists_.end())
                ids = found->second;
        } else {
            for (std::size_t i = 0; i < contacts_.size(); ++i)
                ids.push_back(static_cast<int>(i + 1));
        }
        Poco::JSON::Array::Ptr data = new Poco::JSON::Array;
        for (std::size_t i = offset; i < ids.size() && i < offset + limit; ++i) {
            Poco::JSON::Object::Ptr contact = new Poco::JSON::Object;
            contact->set("ID", ids[i]);
            contact->set("Email", contacts_[static_cast<std::size_t>(ids[i] - 1)]);
            contact->set("IsExcludedFromCampaigns", false);
            contact->set("Name", "");
            data->add(contact);
        }
        return {200, envelope(data, data->size()), ""};
    }
    const std::string kList = "/v3/REST/contactslist/";
    if (r.method == "GET" && r.path.rfind(kList, 0) == 0) {
        const auto found = lists_.find(std::atoi(r.path.substr(kList.size()).c_str()));
        if (found == lists_.end())
            return mailjetError(404, "Object not found");
        Poco::JSON::Array::Ptr data = new Poco::JSON::Array;
        Poco::JSON::Object::Ptr list = new Poco::JSON::Object;
        list->set("ID", found->first);
        list->set("SubscriberCount", found->second.size());
        data->add(list);
        return {200, envelope(data, 1), ""};
    }
    if (r.path == "/v3/REST/contactmetadata") {
        if (r.method == "GET") {
            Poco::JSON::Array::Ptr data = new Poco::JSON::Array;
            for (const auto& name : properties_) {
                Poco::JSON::Object::Ptr property = new Poco::JSON::Object;
                property->set("Name", name);
                property->set("NameSpace", "static");
                data->add(property);
            }
            return {200, envelope(data, data->size()), ""};
        }
        const auto body = parse(r.body);
        if (!body || body->optValue<std::string>("NameSpace", "") != "static")
            return mailjetError(400, "NameSpace must be static or historic");
        const std::string name = body->optValue<std::string>("Name", "");
        if (!properties_.insert(name).second)
            return mailjetError(400, "MJ18 A ContactMetaData resource with value \"" + name +
                                         "\" for Name already exists.");
        Poco::JSON::Array::Ptr data = new Poco::JSON::Array;
        data->add(body);
        return {201, envelope(data, 1), ""};
    }
    if (r.method == "POST" && r.path == "/v3/REST/contact/managemanycontacts") {
        const auto body = parse(r.body);
        Poco::JSON::Array::Ptr contacts = body ? body->getArray("Contacts") : nullptr;
        if (!contacts)
            return mailjetError(400, "Contacts is required");
        ++writeCalls_;
        for (std::size_t i = 0; i < contacts->size(); ++i) {
            Poco::JSON::Object::Ptr contact = contacts->getObject(static_cast<unsigned>(i));
            Poco::JSON::Object::Ptr properties = contact->getObject("Properties");
            for (const auto& [name, value] : *properties) {
                if (!properties_.count(name))
                    return mailjetError(400, "Unknown property " + name);
                written_[contact->getValue<std::string>("Email")][name] = value.toString();
            }
        }
        Poco::JSON::Array::Ptr data = new Poco::JSON::Array;
        Poco::JSON::Object::Ptr job = new Poco::JSON::Object;
        job->set("JobID", writeCalls_);
        data->add(job);
        return {201, envelope(data, 1), ""};
    }
    return mailjetError(404, "Object not found");
}

// --- Mailchimp ---

FakeMailchimp::FakeMailchimp(std::string apiKey, std::string dc, std::string listId)
    : authorization_(basic("mailsift", apiKey)),
      prefix_("/" + dc + "/3.0/lists/" + listId),
      listId_(std::move(listId)),
      server_([this](const ProviderRequest& r) { return handle(r); },
              R"({"type":"https://mailchimp.com/developer/marketing/docs/errors/",)"
              R"("title":"Too Many Requests","status":429,)"
              R"("detail":"You have exceeded the limit of 10 simultaneous connections."})") {}

void FakeMailchimp::addMember(const std::string& email) {
    std::lock_guard lock(mutex_);
    members_.push_back(email);
}

std::map<std::string, std::map<std::string, std::string>> FakeMailchimp::written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

std::set<std::string> FakeMailchimp::mergeFields() const {
    std::lock_guard lock(mutex_);
    return mergeFields_;
}

int FakeMailchimp::writeCalls() const {
    std::lock_guard lock(mutex_);
    return writeCalls_;
}

ProviderReply FakeMailchimp::handle(const ProviderRequest& r) {
    // Mailchimp checks the key before the route; a username is required but not checked.
    if (r.authorization != authorization_) {
        return mailchimpError(401, "API Key Invalid",
                              "Your API key may be invalid, or you've attempted to access the "
                              "wrong datacenter.");
    }
    if (r.path.rfind(prefix_, 0) != 0)
        return mailchimpError(404, "Resource Not Found",
                              "The requested resource could not be found.");
    const std::string rest = r.path.substr(prefix_.size());
    std::lock_guard lock(mutex_);
    if (r.method == "GET" && rest == "/members") {
        const std::size_t count = number(r.param("count"), 10);
        if (count > 1000)
            return mailchimpError(400, "Invalid Resource", "count must not exceed 1000");
        const std::size_t offset = number(r.param("offset"), 0);
        Poco::JSON::Array::Ptr members = new Poco::JSON::Array;
        for (std::size_t i = offset; i < members_.size() && i < offset + count; ++i) {
            Poco::JSON::Object::Ptr member = new Poco::JSON::Object;
            member->set("email_address", members_[i]);
            members->add(member);
        }
        Poco::JSON::Object::Ptr page = new Poco::JSON::Object;
        page->set("members", members);
        page->set("total_items", members_.size());
        return {200, json(page), ""};
    }
    if (rest == "/merge-fields") {
        if (r.method == "GET") {
            Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
            for (const auto& tag : mergeFields_) {
                Poco::JSON::Object::Ptr field = new Poco::JSON::Object;
                field->set("tag", tag);
                fields->add(field);
            }
            Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
            out->set("merge_fields", fields);
            out->set("list_id", listId_);
            out->set("total_items", fields->size());
            return {200, json(out), ""};
        }
        const auto body = parse(r.body);
        if (!body || body->optValue<std::string>("name", "").empty() ||
            body->optValue<std::string>("type", "").empty())
            return mailchimpError(400, "Invalid Resource", "name and type are required");
        mergeFields_.insert(body->optValue<std::string>("tag", ""));
        return {200, json(body), ""};
    }
    if (r.method == "POST" && rest.empty()) {
        const auto body = parse(r.body);
        Poco::JSON::Array::Ptr members = body ? body->getArray("members") : nullptr;
        if (!members || members->size() > 500)
            return mailchimpError(400, "Invalid Resource", "members: at most 500 per call");
        if (!body->optValue<bool>("update_existing", false))
            return mailchimpError(400, "Member Exists", "update_existing is needed to update");
        ++writeCalls_;
        for (std::size_t i = 0; i < members->size(); ++i) {
            Poco::JSON::Object::Ptr member = members->getObject(static_cast<unsigned>(i));
            Poco::JSON::Object::Ptr fields = member->getObject("merge_fields");
            for (const auto& [tag, value] : *fields) {
                if (!mergeFields_.count(tag))
                    return mailchimpError(400, "Invalid Resource", "Unknown merge field " + tag);
                written_[member->getValue<std::string>("email_address")][tag] = value.toString();
            }
        }
        Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
        out->set("total_created", 0);
        out->set("total_updated", members->size());
        out->set("error_count", 0);
        return {200, json(out), ""};
    }
    return mailchimpError(404, "Resource Not Found", "The requested resource could not be found.");
}

}  // namespace fakes
