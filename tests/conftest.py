import os
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_37ef718866344138.txt"

JAPANESE_SCRIPT = """日米、防衛・安全保障協力の強化で一致
岸田総理大臣は2024年4月10日、バイデン大統領と首脳会談を行い、両首脳は防衛・安全保障分野での協力を一層強化することで一致しました。
S/ 岸田文雄, 内閣総理大臣: 今回の会談が、日本とアメリカがどのような未来を築こうとしているのかを世界に示す貴重な機会になればと思います。
S/ ジョー・バイデン, アメリカ大統領: 同盟をさらに深める方法について話し合うことを楽しみにしています。
会談のあと、両首脳は「未来のためのグローバル・パートナー」と題する共同声明を発表しました。
"""


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} tests skipped: every test must run (README, Set-up installs "
                                    "everything they need); the run fails", red=True)


def pytest_sessionfinish(session, exitstatus):
    """A skipped test fails the run: a green run must have exercised everything."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1


# CI replays a fixed set of generated examples (a green run must not depend on luck); a developer's
# run explores new ones every time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
