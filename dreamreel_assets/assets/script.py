"""The request a film starts from, and its script."""


from dagster import AssetExecutionContext, Failure, MetadataValue, asset
from pydantic import ValidationError

from dreamreel_assets.assets.retries import TRANSIENT_RETRIES, permanent
from dreamreel_assets.backends.writer.llm import ScriptGenerationError
from dreamreel_assets.languages import unwritable
from dreamreel_assets.models import FilmRequest, Script, describe_validation_error
from dreamreel_assets.partitions import films
from dreamreel_assets.resources.backends import WriterResource
from dreamreel_assets.resources.gpu import GPUResource
from dreamreel_assets.assets.common import film_key
from dreamreel_assets.resources.stores import MediaStoreResource, RequestStoreResource


@asset(partitions_def=films, group_name="film", kinds={"python"})
def film_request(context: AssetExecutionContext, requests: RequestStoreResource) -> FilmRequest:
    """The validated form a person filled in, read from the request store."""
    store = requests.store()
    record = store.get(context.partition_key)
    if record is None:
        raise Failure(
            description=f"No request stored for film {context.partition_key!r}: submit it first.",
            allow_retries=False,
        )
    try:
        request = record.request
    except ValidationError as error:
        store.set_status(context.partition_key, "failed", error=describe_validation_error(error))
        raise Failure(description=f"Bad request: {describe_validation_error(error)}", allow_retries=False) from error
    store.mark_started(context.partition_key, context.run_id)
    store.set_status(context.partition_key, "running")
    context.add_output_metadata({
        "genre": request.genre, "style": request.style, "theme": request.theme,
        "minutes": request.minutes, "aspect": request.aspect, "seed": request.seed,
        "target_seconds": request.target_seconds, "language": request.language, "subtitles": request.subtitles,
    })
    return request


@asset(partitions_def=films, group_name="film", pool="gpu", kinds={"python"}, retry_policy=TRANSIENT_RETRIES)
def script(
    context: AssetExecutionContext, film_request: FilmRequest, writer: WriterResource,
    gpu: GPUResource, requests: RequestStoreResource, media: MediaStoreResource,
) -> Script:
    """Title, characters, scenes with narration and shots, sized to the requested length.

    A copy goes to the media store as `script.json`: the web app reads scenes and shots from it
    (to show progress and to name what to fix) without asking Dagster.
    """
    store = requests.store()
    cannot = unwritable(film_request.language, writer.backend)
    if cannot:
        raise Failure(description=f"Cannot write this film: {cannot}.", allow_retries=False)
    store.report_progress(context.partition_key, "script", 0, 1)
    gpu.begin_stage()
    backend = writer.build(gpu)
    try:
        written = backend.write(film_request)
    except (ScriptGenerationError, ValueError) as error:  # still invalid after its repairs: no retry helps
        raise permanent(str(error)) from None
    except Exception as error:
        if _refused_by_service(error):
            raise permanent(f"{backend.name}: the service refused the request: {error}") from None
        raise  # a network error, a 429 or a 5xx: tried again by the retry policy
    files = media.store()
    key = film_key(context, "script.json")
    files.writable_path(key).write_text(written.model_dump_json(), encoding="utf-8")
    files.commit(key)
    store.report_progress(context.partition_key, "script", 1, 1, written.title)
    context.add_output_metadata({
        "script": MetadataValue.md(written.to_markdown()),
        "title": written.title,
        "backend": backend.name,
        "seed": film_request.seed,
        "scenes": len(written.scenes),
        "shots": len(written.shots),
        "words": written.word_count,
        "language": film_request.language,
    })
    return written


def _refused_by_service(error: Exception) -> bool:
    """An HTTP 4xx other than 408 and 429 from the writer's service: asking again gets the same."""
    status = getattr(error, "status_code", None)
    return isinstance(status, int) and 400 <= status < 500 and status not in (408, 429)
