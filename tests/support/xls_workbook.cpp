#include "support/xls_workbook.h"

#include <cstdlib>
#include <fstream>
#include <string>

namespace mailsift::testing {

bool writeXlsWithScript(const std::filesystem::path& file, const std::string& script,
                        const std::string& argument) {
    const std::filesystem::path scriptFile =
        file.parent_path() / (file.filename().string() + ".py");
    std::ofstream(scriptFile) << script;
    // Debian's python3-xlwt lives beside /usr/bin/python3, which a python earlier in PATH may
    // hide.
    for (const char* python : {"/usr/bin/python3", "python3"}) {
        const std::string command = std::string(python) + " '" + scriptFile.string() + "' '" +
                                    file.string() + "' '" + argument + "' 2>/dev/null";
        if (std::system(command.c_str()) == 0 && std::filesystem::exists(file))
            return true;
    }
    return false;
}

bool writeXlsWithEmails(const std::filesystem::path& file, int rows) {
    return writeXlsWithScript(file,
                              "import sys, xlwt\n"
                              "book = xlwt.Workbook()\n"
                              "s = book.add_sheet('Emails')\n"
                              "s.write(0, 0, 'email')\n"
                              "for r in range(1, int(sys.argv[2]) + 1):\n"
                              "    s.write(r, 0, 'user%d@example.com' % r)\n"
                              "book.save(sys.argv[1])\n",
                              std::to_string(rows));
}

}  // namespace mailsift::testing
