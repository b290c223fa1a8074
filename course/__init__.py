"""pact-course: a teaching and wargame kit on the June 2024 Russia-North Korea security pact.

Importing the package is deliberately cheap (every student notebook and every autograded
submission pays for it): submodules are imported on first use, never here.

The package is laid out in layers (docs/README.md, "Layout and layers"). Notebooks handed out before
that layout import flat modules (``from course import wargame_checks``, ``import course.log``); a finder
installed here serves each old path as the module that now holds its code, on first use, so those
notebooks and the ``nbgrader_config.py`` of an older course keep working without a file left behind.
"""

__version__ = "0.1.0"

# Old flat module -> the module that holds its code now. Old names that became packages (engine,
# scenario, reading, sandbox, grading, report) are served by their package's lazy attributes instead.
MOVED = {
    "course.conditions": "course.scenario.conditions",
    "course.scenario_checks": "course.scenario.checks",
    "course.scenario_model": "course.scenario.model",
    "course.scenario_reference": "course.scenario.reference",
    "course.reading_checks": "course.reading.checks",
    "course.reading_fulltext": "course.reading.fulltext",
    "course.reading_model": "course.reading.model",
    "course.engine_tables": "course.engine.tables",
    "course.turn": "course.engine.turn",
    "course.view": "course.engine.view",
    "course.decision_log": "course.engine.decision_log",
    "course.doctrines": "course.engine.doctrines",
    "course.strategies": "course.engine.strategies",
    "course.tournament": "course.engine.tournament",
    "course.log": "course.engine.logfile",
    "course.sandbox_child": "course.sandbox.child",
    "course.sandbox_process": "course.sandbox.process",
    "course.sandbox_source": "course.sandbox.source",
    "course.plain_data": "course.sandbox.wire",
    "course.sandbox_games": "course.grading.strategy",
    "course.wargame_checks": "course.grading.wargame_checks",
    "course.selfcheck": "course.grading.selfcheck",
    "course.grade": "course.autograde.run",
    "course.grade_progress": "course.autograde.progress",
    "course.grade_worker": "course.autograde.worker",
    "course.gradebook_check": "course.autograde.gradebook",
    "course.kernel_limits": "course.autograde.kernel_limits",
    "course.kernel_pool": "course.autograde.kernel_pool",
    "course.submission_checks": "course.autograde.submissions",
    "course.instructor": "course.autograde.build",
    "course.feedback": "course.autograde.feedback",
    "course.export": "course.autograde.export",
    "course.nbgrader_preprocessors": "course.autograde.nbgrader_plugins",
    "course.memo_data": "course.autograde.sample_logs",
    "course.validated_data": "course.autograde.validated",
    "course.integrity": "course.autograde.integrity.scan",
    "course.integrity_checks": "course.autograde.integrity.checks",
    "course.integrity_patterns": "course.autograde.integrity.patterns",
    "course.integrity_probe": "course.autograde.integrity.probe",
    "course.integrity_run": "course.autograde.integrity.run",
    "course.report_games": "course.report.games",
    "course.report_grades": "course.report.grades",
    "course.report_html": "course.report.html",
    "course.report_plots": "course.report.plots",
    "course.report_strategies": "course.report.strategies",
}


class _MovedModules:
    """A meta-path finder and loader for the old flat paths: ``import course.log`` gives the module
    ``course.engine.logfile`` itself (one object under both names), not a copy or a wrapper."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):  # noqa: ANN001, ANN205 - the finder protocol
        if fullname not in MOVED:
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(fullname, _MovedModules)

    @staticmethod
    def create_module(spec):  # noqa: ANN001, ANN205 - the loader protocol: a placeholder module
        return None

    @staticmethod
    def exec_module(module) -> None:  # noqa: ANN001
        # The import system returns whatever sys.modules holds under the name once this returns.
        import importlib
        import sys

        sys.modules[module.__name__] = importlib.import_module(MOVED[module.__name__])


def lazy_attributes(package: str, folder: str, modules: tuple[str, ...]):  # noqa: ANN201 - a module __getattr__
    """A package's ``__getattr__`` that serves the names of the flat module it replaced (``course.grading``
    was one module; ``grading.check_function`` now lives in ``course.grading.checks``). Nothing is imported
    until a name is asked for, so the package stays import-free where a graded cell or a child process
    imports one of its submodules; a name that is a submodule is left to the import system."""

    def __getattr__(name: str):  # noqa: ANN202
        import importlib
        import os

        if not name.startswith("__") and not (
            os.path.exists(os.path.join(folder, name + ".py")) or os.path.isdir(os.path.join(folder, name))
        ):
            for dotted in modules:
                module = importlib.import_module(dotted)
                if hasattr(module, name):
                    return getattr(module, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


def _install() -> None:
    import sys

    if not any(type(f) is type and f.__name__ == "_MovedModules" for f in sys.meta_path):
        sys.meta_path.append(_MovedModules)


_install()
