"""Batch runs on a real Dask cluster: a scheduler and two workers on 127.0.0.1, one of them killed
mid-run; and a local cluster. Every output is written, once, whole; the state records each."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SENTENCES = ["The minister met the mayor in the town hall today.", "S/ Ann Lee, Reporter: It was a long day.",
             "Talks on the new rail link went on into the evening.", "Both sides said they would meet again soon."]


def dask(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("dask")), *args]


@pytest.fixture
def scheduler(tmp_path):
    """A Dask scheduler and two single-threaded workers on this machine; all torn down after."""
    address_file = tmp_path / "scheduler.json"
    processes = [subprocess.Popen(dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                       "--scheduler-file", str(address_file)),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    deadline = time.time() + 60
    while not address_file.exists() and time.time() < deadline:
        time.sleep(0.2)
    address = json.loads(address_file.read_text())["address"]
    for _ in range(2):
        processes.append(subprocess.Popen(dask("worker", address, "--nworkers", "1", "--nthreads", "1",
                                               "--no-dashboard", "--host", "127.0.0.1"),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
    yield address, processes[1:]
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()


def manifest(folder: Path, count: int) -> Path:
    rows = ["input,formats,out"]
    for number in range(count):
        (folder / f"show{number:03d}.txt").write_text("\n".join(SENTENCES * 25) + f"\nDay {number}.\n")
        rows.append(f"show{number:03d}.txt,\"srt,imsc\",out")
    path = folder / "m.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_a_batch_survives_a_worker_killed_mid_run(tmp_path, scheduler):
    address, workers = scheduler
    path = manifest(tmp_path, 80)  # enough work that the kill lands while programmes are still due
    running = subprocess.Popen([sys.executable, "-m", "captions.cli", "batch", str(path), "--scheduler", address,
                                "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((tmp_path / "out").glob("*.srt"))) < 4:
        time.sleep(0.02)
    assert workers[0].poll() is None and running.poll() is None  # mid-run
    os.killpg(workers[0].pid, signal.SIGKILL)  # a worker dies: its tasks go to the other
    _, err = running.communicate(timeout=600)
    assert running.returncode == 0, err
    srt = sorted((tmp_path / "out").glob("*.en.srt"))
    assert len(srt) == 80 and len(list((tmp_path / "out").glob("*.en.imsc.ttml"))) == 80
    assert all(path.read_text().startswith("1\n") for path in srt)  # whole files
    db = sqlite3.connect(tmp_path / ".captions-state.sqlite")
    assert db.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM languages WHERE status = 'done'").fetchone() == (80, 80)
    rerun = subprocess.run([sys.executable, "-m", "captions.cli", "batch", str(path), "--scheduler", address],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and "80 skipped" in rerun.stdout


def test_a_local_dask_cluster_gives_what_the_local_pool_gives(tmp_path):
    path = manifest(tmp_path, 6)
    first = subprocess.run([sys.executable, "-m", "captions.cli", "batch", str(path), "--cluster", "local:2"],
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    dask_outputs = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    local = subprocess.run([sys.executable, "-m", "captions.cli", "batch", str(path), "--force", "--jobs", "2"],
                           capture_output=True, text=True, timeout=300)
    assert local.returncode == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == dask_outputs
    bad = subprocess.run([sys.executable, "-m", "captions.cli", "batch", str(path), "--cluster", "remote:2"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "local:N" in bad.stderr
