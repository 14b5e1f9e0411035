"""One worker process for ``queue_throughput.py --worker-processes N`` (not a benchmark:
``run_all.py`` skips files starting with ``_``): the production worker built by
``bot.bootstrap`` on the run's schema, Redis prefix and moto bucket, with the 0 ms
provider. Prints ``ready`` once built; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks._support import FixedProvider, bench_catalog, bench_settings  # noqa: E402
from bot.bootstrap import bootstrap  # noqa: E402
from core.db.engine import make_engine  # noqa: E402


async def main(args: argparse.Namespace) -> None:
    s3 = dict(s3_bucket=args.bucket, s3_endpoint_url=args.s3_endpoint, s3_region="us-east-1")
    s3 |= dict(s3_access_key_id="test", s3_secret_access_key="test")
    settings = bench_settings(Path(args.data_dir), args.prefix, args.concurrency, **s3)
    engine = make_engine(
        args.database_url,
        connect_args={"server_settings": {"search_path": args.schema}},
        pool_size=args.concurrency + 4,
        max_overflow=10,
    )
    try:
        async with bootstrap(
            settings,
            engine=engine,
            migrate=False,
            catalog=bench_catalog(settings, max_running=10**6),
            providers={"local": FixedProvider(0.0)},
        ) as app:
            runner = asyncio.create_task(app.worker.run())
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, runner.cancel)
            print("ready", flush=True)
            try:
                await runner
            except asyncio.CancelledError:
                pass
    finally:
        await engine.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("schema", "database-url", "prefix", "data-dir", "s3-endpoint", "bucket"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--concurrency", type=int, default=32)
    asyncio.run(main(p.parse_args()))
