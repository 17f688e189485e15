#include "app/app.h"

#include <Poco/Logger.h>

#include <iostream>

#include "app/command_line.h"
#include "app/commands.h"
#include "app/logging_setup.h"
#include "config/config_error.h"
#include "config/config_loader.h"

#ifndef MAILSIFT_VERSION
#define MAILSIFT_VERSION "0.0.0"
#endif

namespace mailsift::app {

int runMain(int argc, char** argv) {
    CommandLine cl;
    try {
        cl = parseCommandLine(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::cerr << "mailsift-server: " << e.what() << "\n";
        return kExitUsage;
    }
    if (cl.command == "help") {
        std::cout << usage();
        return kExitOk;
    }
    if (cl.command == "version") {
        std::cout << "mailsift-server " << MAILSIFT_VERSION << "\n";
        return kExitOk;
    }

    config::Config config;
    try {
        config = config::loadConfigFile(config::chooseConfigPath(cl.configPath));
        setUpLogging(config.logging, config);
    } catch (const config::ConfigError& e) {
        std::cerr << "mailsift-server: bad configuration: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "mailsift-server: cannot set up logging: " << e.what() << "\n";
        return kExitUsage;
    }

    try {
        if (cl.command == "serve")
            return serveCommand(config);
        if (cl.command == "migrate")
            return migrateCommand(config);
        if (cl.command == "check-config")
            return checkConfigCommand(config);
        if (cl.subcommand == "create")
            return keysCreateCommand(config, cl.account);
        if (cl.subcommand == "list")
            return keysListCommand(config);
        if (cl.subcommand == "revoke")
            return keysRevokeCommand(config, cl.positional.front());
    } catch (const std::exception& e) {
        Poco::Logger::get("mailsift").fatal(e.what());
        std::cerr << "mailsift-server: " << e.what() << "\n";
        return kExitFailure;
    }
    return kExitUsage;
}

}  // namespace mailsift::app
