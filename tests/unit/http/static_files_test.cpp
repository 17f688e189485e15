// Which names the dashboard's static folder serves, with which content type, and what a lookup
// finds on disk.
#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace mailsift::http {
namespace {

class Folder {
  public:
    Folder() {
        path_ =
            std::filesystem::temp_directory_path() /
            ("mailsift-static-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(path_ / "assets");
    }
    ~Folder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    Folder(const Folder&) = delete;
    Folder& operator=(const Folder&) = delete;

    void write(const std::string& relative, const std::string& content) const {
        std::ofstream(path_ / relative, std::ios::binary) << content;
    }
    std::string path() const { return path_.string(); }

  private:
    static inline int counter_ = 0;
    std::filesystem::path path_;
};

TEST(StaticFilesTest, ContentTypesFollowTheExtension) {
    EXPECT_EQ(contentTypeFor("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(contentTypeFor("main.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(contentTypeFor("app.css"), "text/css; charset=utf-8");
    EXPECT_EQ(contentTypeFor("favicon.svg"), "image/svg+xml");
    EXPECT_EQ(contentTypeFor("shot.png"), "image/png");
    EXPECT_EQ(contentTypeFor("main.mjs"), "");
    EXPECT_EQ(contentTypeFor("server.exe"), "");
    EXPECT_EQ(contentTypeFor(".js"), "");
    EXPECT_EQ(contentTypeFor("noextension"), "");
}

TEST(StaticFilesTest, OnlyPlainNamesAreServable) {
    EXPECT_TRUE(isServableName("main.js"));
    EXPECT_TRUE(isServableName("job_view.js"));
    EXPECT_TRUE(isServableName("app-2.min.css"));
    for (const std::string name :
         {"", ".", "..", "../index.html", "..\\index.html", ".hidden.js", "a/b.js", "a\\b.js",
          "a..b.js", "%2e%2e.js", "main js.js", "main.js?x", "é.js", "main.exe", "noext"}) {
        EXPECT_FALSE(isServableName(name)) << name;
    }
    EXPECT_FALSE(isServableName(std::string("main.js\0", 8)));
    EXPECT_FALSE(isServableName(std::string(126, 'a') + ".js"));
    EXPECT_TRUE(isServableName(std::string(125, 'a') + ".js"));
}

TEST(StaticFilesTest, ReadsFilesOfTheFolderAndItsNamedSubFolder) {
    Folder folder;
    folder.write("index.html", "<!doctype html>");
    folder.write("assets/main.js", "export {};");
    const StaticFiles files(folder.path());

    const auto index = files.read("", "index.html");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->body, "<!doctype html>");
    EXPECT_EQ(index->contentType, "text/html; charset=utf-8");
    EXPECT_EQ(index->etag.front(), '"');
    EXPECT_EQ(index->etag.back(), '"');
    EXPECT_TRUE(files.contains("index.html"));

    const auto script = files.read("assets", "main.js");
    ASSERT_TRUE(script);
    EXPECT_EQ(script->body, "export {};");
    EXPECT_NE(script->etag, index->etag);

    EXPECT_FALSE(files.read("", "main.js"));
    EXPECT_FALSE(files.read("assets", "index.html"));
    EXPECT_FALSE(files.read("..", "index.html"));
    EXPECT_FALSE(files.read("assets/..", "index.html"));
    EXPECT_FALSE(files.read("assets", "missing.js"));
}

TEST(StaticFilesTest, TheEtagChangesWithTheContent) {
    Folder folder;
    folder.write("index.html", "one");
    const StaticFiles files(folder.path());
    const std::string before = files.read("", "index.html")->etag;
    folder.write("index.html", "three");
    EXPECT_NE(files.read("", "index.html")->etag, before);
}

TEST(StaticFilesTest, FindsNothingInAMissingFolderOrForADirectory) {
    Folder folder;
    std::filesystem::create_directories(folder.path() + "/assets/dir.js");
    EXPECT_FALSE(StaticFiles(folder.path()).read("assets", "dir.js"));
    EXPECT_FALSE(StaticFiles(folder.path() + "/nope").contains("index.html"));
    EXPECT_FALSE(StaticFiles("").contains("index.html"));
}

TEST(StaticFilesTest, RefusesFilesOverTheSizeLimit) {
    Folder folder;
    folder.write("assets/big.js", std::string(StaticFiles::kMaxFileBytes + 1, 'x'));
    folder.write("assets/fits.js", std::string(1000, 'x'));
    const StaticFiles files(folder.path());
    EXPECT_FALSE(files.read("assets", "big.js"));
    EXPECT_TRUE(files.read("assets", "fits.js"));
}

}  // namespace
}  // namespace mailsift::http
