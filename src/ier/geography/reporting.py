"""How an import run is reported on the command line."""

from ier.geography.models import ImportRun


def describe_run(out, run: ImportRun, loaded: bool, examples: bool = True) -> None:
    if not loaded:
        out.write(
            "%s was already loaded in full (run %d); use --force to load it again"
            % (run.file_name, run.pk)
        )
        return
    out.write(
        "Run %d, %s %s: %s; %d rows read, %d loaded, %d rejected"
        % (
            run.pk,
            run.layout,
            run.file_name,
            run.state,
            run.rows_done,
            run.rows_loaded,
            run.rows_rejected,
        )
    )
    for reason, entry in sorted(run.rejections.items()):
        out.write("  rejected %d: %s" % (entry["count"], reason.replace("_", " ")))
        if examples:
            for example in entry["examples"]:
                out.write("    %s" % example)
