"""The one place poacal relies on Typer's internals (typer.main's builders, its
completion module, the Click it vendors), where Typer has no public way: a command tree
built lazily, completion scripts and completion without Rich, and telling two of Click's
exceptions apart. tests/test_cli.py fails loudly when a Typer upgrade moves any of them."""

from typing import Any


def command_tree(app: Any, modules: dict[str, str]) -> Any:
    """The app as a Click group that imports and builds only the command a run invokes.

    Typer builds every command's parameters on every start (about 0.7 ms a command, for
    22 commands), although one runs; and every module that defines commands would have
    to be imported first. Here the root is built with its own options only; `modules`
    names the module that defines each command (in the order `--help` lists them), and a
    command's module is imported and the command built the first time Click asks for it:
    the invoked one, or all of them for `--help` and for completing a command's name. The
    help, the completion and every option stay exactly Typer's. Uses typer.main's
    builders, the one place poacal relies on them (tests/test_cli.py checks they still
    exist).
    """
    import importlib
    import inspect

    import typer.main as tm

    commands, groups = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []
    try:
        root = tm.get_command(app)
    finally:
        app.registered_commands, app.registered_groups = commands, groups
    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    group_options: dict[str, Any] = {"pretty_exceptions_short": short, "rich_markup_mode": markup}
    if "suggest_commands" in inspect.signature(tm.get_group_from_info).parameters:
        group_options["suggest_commands"] = getattr(app, "suggest_commands", True)

    def build(name: str) -> Any:
        importlib.import_module(modules[name])
        for info in app.registered_commands:
            assert info.callback is not None
            if (info.name or tm.get_command_name(info.callback.__name__)) == name:
                return tm.get_command_from_info(
                    info, pretty_exceptions_short=short, rich_markup_mode=markup
                )
        for group in app.registered_groups:
            if tm.solve_typer_info_defaults(group).name == name:
                return tm.get_group_from_info(group, **group_options)
        return None

    class LazyGroup(type(root)):  # type: ignore[misc]
        def list_commands(self, ctx: Any) -> list[str]:
            return list(modules)

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            if cmd_name not in self.commands and cmd_name in modules:
                self.commands[cmd_name] = build(cmd_name)
            return self.commands.get(cmd_name)

    root.__class__ = LazyGroup
    return root


def plain_completion_help() -> None:
    """Shell completion without Rich."""
    # zsh and fish completion pass each value's help through Typer's Rich-based markup
    # stripping, which imports Rich (about as much again as the rest of completion).
    # poacal's help texts have no markup (rich_markup_mode=None), so plain text will do.
    # With add_completion=False, Typer leaves registering its shells to us.
    try:
        from typer import _completion_classes

        _completion_classes.completion_init()
        _completion_classes._sanitize_help_text = lambda text: text
    except (ImportError, AttributeError):  # pragma: no cover - another Typer
        pass


# Typer's scripts hand each value to the shell as it is; zsh and fish quote what they
# insert, bash and PowerShell do not, so `show UNC<TAB>` gave two words (UNCONF 2001).
# poacal's bash script escapes each value (printf %q) unless the word was begun with a
# quote, where readline closes the quote itself; PowerShell's wraps a value that has a
# space or a special character in single quotes. The protocol (the environment variables
# poacal reads) is Typer's own.
BASH = r"""_poacal_completion() {
    local IFS=$'\n' word="${COMP_WORDS[COMP_CWORD]}"
    local values=( $( env COMP_WORDS="${COMP_WORDS[*]}" \
                          COMP_CWORD=$COMP_CWORD \
                          _POACAL_COMPLETE=complete_bash $1 ) )
    COMPREPLY=()
    [ ${#values[@]} -gt 0 ] || return 0
    case "$word" in
        \"*|\'*) COMPREPLY=( "${values[@]}" ) ;;
        *) COMPREPLY=( $( printf '%q\n' "${values[@]}" ) ) ;;
    esac
    return 0
}

complete -o default -F _poacal_completion poacal
"""

POWERSHELL_QUOTE = (
    "$text = if ($command -match '[\\s''\"`$;,(){}@|&<>#]') "
    '{ "\'" + ($command -replace "\'", "\'\'") + "\'" } else { $command }\n        '
)


def completion_script(shell: str) -> str:
    """The completion script for `shell`, as --show-completion prints it."""
    if shell == "bash":
        return BASH
    from typer._completion_shared import get_completion_script

    script: str = get_completion_script(
        prog_name="poacal", complete_var="_POACAL_COMPLETE", shell=shell
    )
    if shell in ("powershell", "pwsh"):
        inserted = "[System.Management.Automation.CompletionResult]::new(\n            $command,"
        if inserted in script:
            script = script.replace(
                inserted, POWERSHELL_QUOTE + inserted.replace("$command,", "$text,")
            )
    return script


# Click's classes, known by name: Typer vendors Click (typer._click) and has no public name
# for these.
ABORT = "Abort"  # Ctrl-C at a prompt
NO_ARGS_IS_HELP = "NoArgsIsHelpError"  # a group run without its subcommand
PACIFY_FLUSH = "PacifyFlushWrapper"  # the stdout Click wraps after a closed pipe


def is_click(e: object, name: str) -> bool:
    return type(e).__name__ == name
