#include "app/app.h"

int main(int argc, char** argv) {
    return mailsift::app::runMain(argc, argv);
}
