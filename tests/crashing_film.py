"""A film made in a process of its own, for the crash test (run by tests/test_faults.py).

    CRASHING_FILM_KILL_AT_CLIP=N python tests/crashing_film.py start FILM_ID  make the film; SIGKILL the run's processes
                                                          (this one and its step processes, started
                                                          in a session of their own) as the animator
                                                          starts clip number KILL_AT
    python tests/crashing_film.py resume FILM_ID          re-execute the killed run from failure

DAGSTER_HOME holds the instance and DREAMREEL_DATA_DIR the request store and media, as for
`dreamreel serve`. `resume` prints one JSON line: the resumed run's outcome and what it did.
"""

import json
import os
import signal
import sys

from dagster import DagsterInstance, DagsterRunStatus, ReexecutionOptions, RunsFilter, execute_job, reconstructable

from dreamreel_assets.definitions import defs
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.backends import AnimatorResource


def film_job():
    return defs.resolve_job_def("make_film")


KILL_AT = "CRASHING_FILM_KILL_AT_CLIP"
"""Read at import, so the step processes (which import this module to rebuild the job) die too."""


def kill_at_clip(number: int) -> None:
    """The run dies as the animator starts its `number`th clip: no clean-up runs, as when a machine is lost."""
    build = AnimatorResource.build
    started = []

    def dying_build(self, gpu):
        backend = build(self, gpu)
        frames = backend.frames

        def frames_or_death(*args, **kwargs):
            started.append(1)
            if len(started) == number:
                os.killpg(os.getpgid(0), signal.SIGKILL)
            return frames(*args, **kwargs)

        backend.frames = frames_or_death
        return backend

    AnimatorResource.build = dying_build


if os.environ.get(KILL_AT):
    kill_at_clip(int(os.environ[KILL_AT]))


def start(instance: DagsterInstance, film_id: str) -> None:
    instance.add_dynamic_partitions(films.name, [film_id])
    execute_job(reconstructable(film_job), instance, tags={"dagster/partition": film_id})


def resume(instance: DagsterInstance, film_id: str) -> None:
    [killed] = instance.get_runs(RunsFilter(tags={"dagster/partition": film_id}))
    if killed.status == DagsterRunStatus.STARTED:  # what run monitoring does for a dead worker
        instance.report_run_failed(killed, message="The run's process died.")
    with execute_job(reconstructable(film_job), instance, tags={"dagster/partition": film_id},
                     reexecution_options=ReexecutionOptions.from_failure(killed.run_id, instance)) as result:
        clips = result.asset_materializations_for_node("clips")
        cuts = result.asset_materializations_for_node("final_cut")
        print(json.dumps({
            "success": result.success,
            "killed_status": str(killed.status.value),
            "steps": sorted(e.step_key for e in result.get_step_success_events()),
            "reused_clips": clips[0].metadata["reused"].value if clips else None,
            "video": cuts[0].metadata["url"].value if cuts else None,
        }))


if __name__ == "__main__":
    command, film_id = sys.argv[1:]
    with DagsterInstance.get() as current:
        if command == "start":
            start(current, film_id)
        else:
            resume(current, film_id)
