"""`grader grade --shard K/N` and `grader merge`: four shards, run as separate processes by the
Slurm array script of docs/scale/ (SLURM_ARRAY_TASK_ID set), merged by its merge script, give
the gradebook one run gives, byte for byte, and the same similar pairs (a pair of copies graded in
different shards among them); each merge that cannot be proven whole is refused, saying what and
where. The Kubernetes and GitHub Actions files of docs/scale/ are parsed and checked here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader.workbook.intake import discover
from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR
from grader.workbook.shards import MANIFEST, parse_shard, shard_of
from tests.test_batch import FLIPPED, ONLY, make_batch

GRADER = str(Path(sys.executable).with_name("grader"))
SCALE = PROJECT_ROOT / "docs" / "scale"
KEY = "5a" * 32
N = 4


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "CNN_GRADING"))}
    return {**env, "GRADER": GRADER, **extra}


def copy_pair(batch: Path) -> tuple[str, str]:
    """A renamed copy of ivan's flipped kernel, handed in by a student of another shard."""
    ivan = shard_of("ivan", N)
    name = next(n for n in ("judy", "mallory", "niaj", "olivia") if shard_of(n, N) != ivan)
    source = (SOLUTIONS_DIR / "01_edge_filter.py").read_text().replace("(patch * kernel)", FLIPPED)
    (batch / name).mkdir()
    (batch / name / "01_edge_filter.py").write_text(
        source.replace("patch", "window").replace("kernel", "weights")
    )
    return "ivan", name


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("shards")
    batch = make_batch(root)
    pair = copy_pair(batch)
    one = subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(root / "one"), *ONLY, "--workers", "1"],
        env=environment(CNN_GRADING_KEY=KEY),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert one.returncode == 0, one.stderr
    slurm = {"BATCH": str(batch), "SHARDS_DIR": str(root / "shards"), "CNN_GRADING_KEY": KEY}
    shards = [
        subprocess.Popen(
            ["bash", str(SCALE / "slurm-shards.sh"), *ONLY, "--workers", "1"],
            env=environment(SLURM_ARRAY_TASK_ID=str(k), SHARDS=str(N), **slurm),
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(1, N + 1)
    ]
    for shard in shards:
        _, err = shard.communicate(timeout=600)
        assert shard.returncode == 0, err
    merged = subprocess.run(
        ["bash", str(SCALE / "slurm-merge.sh")],
        env=environment(SHARDS_DIR=str(root / "shards"), OUT=str(root / "merged")),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert merged.returncode == 0, merged.stderr
    return {"root": root, "batch": batch, "pair": pair, "shards": root / "shards"}


@pytest.mark.slow  # these grade a class 5 times (the module fixture)
def test_four_shards_merged_are_one_run(graded):
    one, merged = graded["root"] / "one", graded["root"] / "merged"
    for name in ("grades.csv", "grades.json"):
        assert (merged / name).read_bytes() == (one / name).read_bytes(), name
    students = {e.student for e in discover(graded["batch"])}
    assert len(json.loads((merged / "grades.json").read_text())["students"]) == len(students)
    feedback = sorted(p.name for p in (one / "feedback").iterdir())
    assert feedback == sorted(p.name for p in (merged / "feedback").iterdir())
    for name in feedback:
        assert (merged / "feedback" / name).read_bytes() == (one / "feedback" / name).read_bytes()


@pytest.mark.slow
def test_the_merge_lists_the_same_similar_pairs(graded):
    def pairs(out: Path) -> list[tuple]:
        review = json.loads((out / "review.json").read_text())
        return [(p["a"], p["b"], p["score"], p["page"]) for p in review["similarity"]["pairs"]]

    one, merged = graded["root"] / "one", graded["root"] / "merged"
    assert pairs(merged) == pairs(one)
    listed = {frozenset(p[:2]) for p in pairs(merged)}
    a, b = graded["pair"]
    assert frozenset((a, b)) in listed and shard_of(a, N) != shard_of(b, N)  # across shards
    report = (merged / "report.html").read_text()
    for _, _, _, page in pairs(one):
        assert page in report and (merged / page).is_file()


@pytest.mark.slow
def test_each_shard_records_the_whole_batch(graded):
    keys = {e.student: e.key for e in discover(graded["batch"])}
    for k in range(1, N + 1):
        record = json.loads((graded["shards"] / f"out-{k}" / MANIFEST).read_text())
        assert record["finished"] and (record["shard"], record["of"]) == (k, N)
        assert {s["student"]: s["key"] for s in record["students"]} == keys
        assert all(s["shard"] == shard_of(s["key"], N) for s in record["students"])
        graded_here = {p.stem for p in (graded["shards"] / f"out-{k}" / ".results").iterdir()}
        assert graded_here == {s["key"] for s in record["students"] if s["shard"] == k}


def merge(*shards: Path, out: Path) -> subprocess.CompletedProcess:
    command = [GRADER, "merge", *map(str, shards), "--out", str(out)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def copies(graded: dict, tmp_path: Path) -> list[Path]:
    made = [tmp_path / f"out-{k}" for k in range(1, N + 1)]
    for k, copy in enumerate(made, 1):
        shutil.copytree(graded["shards"] / f"out-{k}", copy)
    return made


def edit_manifest(shard: Path, **changes: object) -> None:
    record = json.loads((shard / MANIFEST).read_text())
    (shard / MANIFEST).write_text(json.dumps({**record, **changes}))


def refused(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert all(word in done.stderr for word in words), done.stderr


@pytest.mark.slow
def test_a_missing_or_repeated_shard_is_refused(graded, tmp_path):
    shards = copies(graded, tmp_path)
    refused(merge(*shards[:3], out=tmp_path / "m"), "shard(s) 4/4 missing")
    refused(merge(*shards, shards[1], out=tmp_path / "m"), f"{shards[1]} is given twice")
    shutil.copytree(shards[1], tmp_path / "again")
    refused(merge(*shards, tmp_path / "again", out=tmp_path / "m"), "shard 2/4 is given twice")
    assert not (tmp_path / "m" / "grades.csv").exists()


@pytest.mark.slow
def test_an_unfinished_shard_is_refused(graded, tmp_path):
    shards = copies(graded, tmp_path)
    edit_manifest(shards[2], finished=False)
    refused(merge(*shards, out=tmp_path / "m"), str(shards[2]), "3/4's run did not finish")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("batch", "0" * 32, "a different batch"),
        ("key_mark", ":" + "0" * 16, "a different grading key"),
        ("of", 5, "a different number of shards"),
        ("made", ";made:0", "another grader version"),
    ],
)
def test_shards_of_other_runs_are_refused(graded, tmp_path, field, value, said):
    shards = copies(graded, tmp_path)
    edit_manifest(shards[1], **{field: value})
    refused(merge(*shards, out=tmp_path / "m"), said, str(shards[1]))


@pytest.mark.slow
def test_a_student_no_shard_graded_is_named(graded, tmp_path):
    shards = copies(graded, tmp_path)
    owner = shards[shard_of("bob", N) - 1]
    (owner / ".results" / "bob.json").unlink()
    refused(merge(*shards, out=tmp_path / "m"), "graded by no shard", "bob (", "bob.json")


@pytest.mark.slow
def test_a_folder_that_is_no_shard_is_refused(graded, tmp_path):
    shards = copies(graded, tmp_path)
    (tmp_path / "plain").mkdir()
    refused(merge(*shards[:3], tmp_path / "plain", out=tmp_path / "m"), "plain", "--shard K/N")


@pytest.mark.slow
def test_a_shard_needs_the_class_key_and_a_sound_k_of_n(graded, tmp_path):
    out, late = tmp_path / "out", tmp_path / "late.toml"
    command = [GRADER, "grade", str(graded["batch"]), "--out", str(out), *ONLY, "--shard"]
    run = lambda *more, **env: subprocess.run(  # noqa: E731
        [*command, *more], env=environment(**env), capture_output=True, text=True
    )
    refused(run("1/4"), "--shard needs the class's grading key")
    assert not (out / "grading.key").exists()
    for bad, said in (("5/4", "K must be"), ("0/3", "K must be"), ("two/4", "is not K/N")):
        refused(run(bad), said)
    late.write_text('deadline = "2026-01-01T00:00:00"\n')
    done = run("1/4", "--late-policy", str(late), CNN_GRADING_KEY=KEY)
    refused(done, "give them to `grader merge`")


def test_a_student_keeps_their_shard_when_the_class_changes(tmp_path):
    names = [f"student{i:03d}" for i in range(60)]
    for name in names:
        (tmp_path / name).mkdir()
    before = {e.student: shard_of(e.key, N) for e in discover(tmp_path)}
    shutil.rmtree(tmp_path / names[0])
    for extra in ("zara", "aaron", "Student000"):
        (tmp_path / extra).mkdir()
    after = {e.student: shard_of(e.key, N) for e in discover(tmp_path)}
    assert all(after[s] == before[s] for s in names[1:])
    assert set(before.values()) == set(range(1, N + 1))  # 60 students reach every shard
    assert parse_shard("3/4").index == 3
    with pytest.raises(ValueError, match="K must be from 1 to N"):
        parse_shard("5/4")


# -- the files of docs/scale/ ------------------------------------------------------------------


def test_the_slurm_scripts_parse_and_refuse_to_run_without_their_task():
    for name in ("slurm-shards.sh", "slurm-merge.sh"):
        assert subprocess.run(["bash", "-n", str(SCALE / name)]).returncode == 0, name
    text = (SCALE / "slurm-shards.sh").read_text()
    assert "--array=1-4" in text and '--shard "$K/$N"' in text  # shards count from 1
    done = subprocess.run(
        ["bash", str(SCALE / "slurm-shards.sh")], env=environment(), capture_output=True, text=True
    )
    assert done.returncode != 0 and "SLURM_ARRAY_TASK_ID" in done.stderr


def k8s_unknown_fields(data: object, model: str) -> list[str]:
    """Fields of `data` that the Kubernetes API's `model` (the Python client's) does not have."""
    import kubernetes.client as api

    if model.lower().startswith("list["):
        return [u for item in data for u in k8s_unknown_fields(item, model[5:-1])]
    if not model.startswith("V1"):  # str, int, bool, object, Dict[str, str], datetime
        return []
    cls = getattr(api, model)
    if not isinstance(data, dict):
        return [f"{model}: {data!r} is not an object"]
    names = {json_name: attr for attr, json_name in cls.attribute_map.items()}
    unknown = [f"{model}.{key}" for key in data if key not in names]
    for key, value in data.items():
        if key in names:
            unknown += k8s_unknown_fields(value, cls.openapi_types[names[key]])
    return unknown


def test_the_kubernetes_jobs_are_an_indexed_job_and_its_merge():
    shards = yaml.safe_load((SCALE / "k8s-shards.yaml").read_text())
    merge = yaml.safe_load((SCALE / "k8s-merge.yaml").read_text())
    for job in (shards, merge):
        assert (job["apiVersion"], job["kind"]) == ("batch/v1", "Job")
        assert job["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
    spec = shards["spec"]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == N
    container = spec["template"]["spec"]["containers"][0]
    command = " ".join(container["command"] + container["args"])
    assert f'--shard "$((JOB_COMPLETION_INDEX + 1))/{N}"' in command  # the index counts from 0
    assert {"name": "CNN_GRADING_KEY"}.items() <= container["env"][0].items()
    outs = " ".join(merge["spec"]["template"]["spec"]["containers"][0]["args"])
    assert all(f"shards/out-{k}" in outs for k in range(1, N + 1))
    sh = subprocess.run(["sh", "-n", "-c", command.split("-c ", 1)[1]])
    assert sh.returncode == 0
    pytest.importorskip("kubernetes", reason="the field check needs the kubernetes client")
    assert k8s_unknown_fields(shards, "V1Job") == [] and k8s_unknown_fields(merge, "V1Job") == []
    assert k8s_unknown_fields({"spec": {"completionz": 4}}, "V1Job") == ["V1JobSpec.completionz"]


def test_the_github_workflow_is_a_matrix_of_shards_and_a_merge():
    flow = yaml.safe_load((SCALE / "github-shards.yml").read_text())
    jobs = flow["jobs"]
    assert jobs["shard"]["strategy"]["matrix"]["shard"] == list(range(1, N + 1))
    assert flow["env"]["SHARDS"] == N and jobs["merge"]["needs"] == "shard"
    runs = " ".join(step.get("run", "") for step in jobs["shard"]["steps"])
    assert '--shard "${{ matrix.shard }}/$SHARDS"' in runs
    upload = next(s for s in jobs["shard"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["include-hidden-files"] is True  # .results/ is a hidden folder
    merge = " ".join(step.get("run", "") for step in jobs["merge"]["steps"])
    assert "grader merge shards/shard-*" in merge


def test_scale_md_names_each_file_and_how_it_was_checked():
    text = (PROJECT_ROOT / "docs" / "scale.md").read_text()
    for path in SCALE.iterdir():
        assert f"scale/{path.name}" in text, path.name
    assert "(scale.md)" in (PROJECT_ROOT / "docs" / "instructors.md").read_text()
