// ng-annotate: one binary, a table of subcommands.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "store/store.h"

int main(int argc, char** argv) {
#if defined(_WIN32)
  // Windows' C runtime buffers stderr when it is a pipe or a file (POSIX
  // never buffers it): a warning waited there until exit, and a kill lost it.
  std::setvbuf(stderr, nullptr, _IONBF, 0);
#endif
  nga::ConfigureStorageForProcess();
  CLI::App app{
      "ng-annotate: click a component in your running app, ask for a change, and an "
      "AI coding agent picks it up over MCP."};
  app.set_version_flag("--version", std::string("ng-annotate ") + NGA_VERSION);
  app.require_subcommand(1);
  // CLI11 reads "/x" as an option on Windows; ours are --options, and a
  // path such as /tmp/store.json (Git Bash, Wine) is a path. Subcommands
  // inherit this.
  app.allow_windows_style_options(false);

  nga::cli::Action run;
  nga::cli::AddServeCommand(app, run);
  nga::cli::AddMcpCommand(app, run);
  nga::cli::AddInitCommand(app, run);
  nga::cli::AddStatusCommands(app, run);
  nga::cli::AddExportCommands(app, run);
  nga::cli::AddManifestCommand(app, run);
  nga::cli::AddWatchCommand(app, run);
  nga::cli::AddMigrateCommand(app, run);
  nga::cli::AddTokenCommand(app, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ng-annotate: " << e.what() << " (see ng-annotate --help)\n";
    return 2;
  }
  return run ? run() : 2;
}
