"""course.coursedir: the course folder's configuration and nbgrader's step folders, in one place."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from course import coursedir

ROOT = Path(__file__).resolve().parents[1]


def _course(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    return tmp_path


def test_step_folders_are_the_ones_nbgrader_config_sets():
    from nbgrader.coursedir import CourseDirectory

    course = CourseDirectory(config=coursedir.config(ROOT))
    assert (course.source_directory, course.release_directory, course.solution_directory) == (
        coursedir.SOURCE,
        coursedir.RELEASE,
        coursedir.SOLUTION,
    )
    assert (course.submitted_directory, course.autograded_directory, course.feedback_directory) == (
        coursedir.SUBMITTED,
        coursedir.AUTOGRADED,
        coursedir.FEEDBACK,
    )
    # nbgrader's own path for a student's step folder is the one step_dir builds.
    assert Path(course.format_path(coursedir.SUBMITTED, "alice", "00-demo")) == coursedir.step_dir(
        ROOT, coursedir.SUBMITTED, "alice", "00-demo"
    )


def test_db_url_and_course_id_come_from_the_course_config(tmp_path):
    root = _course(tmp_path)
    assert coursedir.db_url(root) == f"sqlite:///{root.resolve() / 'gradebook.db'}"
    assert coursedir.course_id(root) == "pact-course"
    assert coursedir.cell_timeout(root) == 60


def test_without_settings_nbgrader_defaults_apply(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    assert coursedir.db_url(tmp_path) == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    assert coursedir.course_id(tmp_path) == "default_course"
    assert coursedir.cell_timeout(tmp_path) == 30


def test_config_is_a_fresh_copy_and_is_read_again_when_the_file_changes(tmp_path):
    root = _course(tmp_path)
    first = coursedir.config(root)
    first.Execute.timeout = 1
    assert coursedir.config(root).Execute.timeout == 60
    with (root / "nbgrader_config.py").open("a") as config:
        config.write("\nc.CourseDirectory.course_id = 'another-course'\n")
    assert coursedir.course_id(root) == "another-course"


def test_students_lists_student_folders_that_hold_the_assignment(tmp_path):
    for student in ("bob", "alice", ".pact-salvaged"):
        coursedir.step_dir(tmp_path, coursedir.SUBMITTED, student, "00-demo").mkdir(parents=True)
    (tmp_path / coursedir.SUBMITTED / "carol" / "01-other").mkdir(parents=True)
    assert coursedir.students(tmp_path, coursedir.SUBMITTED, "00-demo") == ["alice", "bob"]
    assert coursedir.students(tmp_path, coursedir.AUTOGRADED, "00-demo") == []


def test_not_a_course_says_why(tmp_path):
    assert not coursedir.is_course(tmp_path)
    assert coursedir.not_a_course(tmp_path) == f"{tmp_path}: not a course directory (no nbgrader_config.py)"
    assert coursedir.is_course(_course(tmp_path))


def test_importing_it_imports_neither_traitlets_nor_nbgrader():
    code = "import sys, course.coursedir; print(sorted({'traitlets', 'nbgrader'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
