#include "engine/scoring.h"

#include <algorithm>
#include <array>

namespace mailsift::engine {
namespace {

/// One row of the scoring table: a fact, the score it caps the address at, and the description
/// codes it adds. A fact of SMTP's "could not verify" kind also adds mailbox_unverified.
struct Rule {
    Fact fact;
    int score;
    const char* code;  ///< nullptr: the fact adds no code of its own
    bool unverified;   ///< adds mailbox_unverified
};

// The order of rows is the order codes appear in `description`.
constexpr std::array kRules{
    // 0, invalid: bad syntax, domain does not exist, no usable MX, mailbox refused permanently.
    Rule{Fact::syntaxInvalid, 0, "syntax", false},
    Rule{Fact::domainNotFound, 0, "domain", false},
    Rule{Fact::noUsableMx, 0, "invalid_mx", false},
    Rule{Fact::mailboxRefused, 0, "mailbox", false},
    Rule{Fact::mailboxDisabled, 0, "disabled", false},
    // 2, risky: disposable provider or blocklisted.
    Rule{Fact::disposableDomain, 2, "disposable", false},
    Rule{Fact::blocklisted, 2, "blacklist", false},
    // 4, risky: mailbox full, or a likely typo of a well-known domain.
    Rule{Fact::mailboxFull, 4, "mailbox_full", false},
    Rule{Fact::likelyTypo, 4, "typo", false},
    // 5, risky: role address. Quoted local parts and IP literals parse but are not clean either.
    Rule{Fact::roleAccount, 5, "role_email", false},
    Rule{Fact::quotedLocalPart, 5, nullptr, false},
    Rule{Fact::ipLiteralDomain, 5, nullptr, false},
    // 6, risky: catch-all domain.
    Rule{Fact::catchAll, 6, "catch_all", false},
    // 7, risky: the domain could not be resolved for now.
    Rule{Fact::dnsUnresolved, 7, nullptr, true},
    // 9, risky: the domain accepts mail but the mailbox could not be verified.
    Rule{Fact::greylisted, 9, "greylisted", true},
    Rule{Fact::smtpTimeout, 9, "smtp_timeout", true},
    Rule{Fact::smtpBlocked, 9, "smtp_blocked", true},
    Rule{Fact::noConnect, 9, "no_connect", true},
    Rule{Fact::smtpUnverified, 9, nullptr, true},
};

void addCode(std::vector<std::string>& codes, const char* code) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end())
        codes.emplace_back(code);
}

}  // namespace

ValidationResult score(const Item& item) {
    const Evidence& ev = item.evidence;
    ValidationResult r;
    r.smtpResponse = ev.smtpResponse;
    r.suggestion = ev.suggestion;
    r.free = ev.has(Fact::freeProvider);

    const bool syntaxOk = !ev.has(Fact::syntaxInvalid) && !item.address.normalized.empty();
    if (!syntaxOk) {
        r.description.emplace_back("syntax");
        return r;  // score 0, invalid, mx and mailbox n/a
    }
    r.syntax = "pass";
    r.normalized = item.address.normalized;

    if (ev.has(Fact::domainNotFound) || ev.has(Fact::noUsableMx)) {
        r.mx = "fail";
    } else if (ev.has(Fact::mxFound)) {
        r.mx = "pass";
        r.mxHost = ev.mxHost;
    }
    if (ev.has(Fact::mailboxAccepted)) {
        r.mailbox = "pass";
    } else if (ev.has(Fact::mailboxRefused) || ev.has(Fact::mailboxDisabled) ||
               ev.has(Fact::mailboxFull)) {
        r.mailbox = "fail";
    }

    int best = 10;
    bool unverified = false;
    for (const Rule& rule : kRules) {
        if (!ev.has(rule.fact))
            continue;
        best = std::min(best, rule.score);
        if (rule.code)
            addCode(r.description, rule.code);
        unverified = unverified || rule.unverified;
    }
    // A valid verdict needs a mailbox that a server accepted: with no SMTP answer at all (no smtp
    // stage, or it had nothing to say) the mailbox is unverified, never valid.
    const bool settledInvalid = best == 0;
    if (!settledInvalid && r.mailbox != "pass" && r.mailbox != "fail") {
        unverified = true;
        best = std::min(best, 9);
    }
    if (unverified && !settledInvalid) {
        r.description.insert(r.description.begin(), "mailbox_unverified");
    }
    r.score = best;
    r.classifier = best == 10 ? "valid" : best == 0 ? "invalid" : "risky";
    return r;
}

}  // namespace mailsift::engine
