"""Test doubles for the language-model writers: a tiny offline causal LM and a fake chat server.

`tiny_lm_dir` (session fixture) is a directory holding a random-weight Llama and a byte-level BPE
tokenizer with a chat template, saved with `save_pretrained`, so tests load it the way a real
model is loaded. Its output is gibberish, never a script.

`FakeChatServer` is an OpenAI-compatible chat completions endpoint on 127.0.0.1:

    with FakeChatServer(lambda body: script_json) as server:
        writer = make_openai_writer(server.base_url, "test-key", "fake-model")
        writer.write(request)
    server.requests[0].body["seed"], server.requests[0].headers["authorization"]
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dreamreel_assets.backends.writer.llm import build_messages
from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.models import FilmRequest

CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|>{{ message['content'] }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
SPECIAL_TOKENS = ["<|pad|>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>"]
VOCAB_SIZE = 1024


def build_tiny_lm(directory: Path) -> Path:
    """Save a tiny random causal LM and its tokenizer into `directory`."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = _tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=8192,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, special_tokens=SPECIAL_TOKENS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    bpe.train_from_iterator(_corpus(), trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=bpe, eos_token="<|end|>", pad_token="<|pad|>", chat_template=CHAT_TEMPLATE
    )


def _corpus() -> list[str]:
    """Text like what the model will see, so prompts encode into few tokens."""
    request = FilmRequest(genre="mystery", theme="A lighthouse keeper finds a map", style="noir", seed=1)
    messages = build_messages(request)
    script = TemplateWriter().write(request).model_dump_json(indent=1)
    return [line for text in [*(m["content"] for m in messages), script] for line in text.splitlines()]


@pytest.fixture(scope="session")
def tiny_lm_dir(tmp_path_factory) -> Path:
    return build_tiny_lm(tmp_path_factory.mktemp("tiny_lm"))


# --- an OpenAI-compatible chat server -----------------------------------------------------------


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: dict


class FakeChatServer:
    """POST /v1/chat/completions answered with `reply(request_body)` as the assistant's content."""

    def __init__(self, reply: Callable[[dict], str | tuple[str, str]], refuse_schemas: bool = False):
        """`reply` gives the content, (content, finish_reason) or an HTTP error status; `refuse_schemas` answers 400 to
        structured-output requests, as servers without them do."""
        self.reply = reply
        self.refuse_schemas = refuse_schemas
        self.requests: list[ReceivedRequest] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def respond(self, path: str, headers: dict[str, str], body: dict) -> tuple[int, dict]:
        self.requests.append(ReceivedRequest(path, headers, body))
        if path != "/v1/chat/completions":
            return 404, {"error": {"message": f"no route {path}", "type": "invalid_request_error"}}
        if self.refuse_schemas and body.get("response_format", {}).get("type") == "json_schema":
            return 400, {"error": {"message": "response_format json_schema is not supported",
                                   "type": "invalid_request_error"}}
        answer = self.reply(body)
        if isinstance(answer, int):  # an HTTP error, as a busy or broken service answers
            return answer, {"error": {"message": f"HTTP {answer}", "type": "server_error"}}
        content, finish = answer if isinstance(answer, tuple) else (answer, "stop")
        return 200, _completion(body.get("model", ""), content, len(self.requests), finish)


def _completion(model: str, content: str, number: int, finish_reason: str = "stop") -> dict:
    return {
        "id": f"chatcmpl-{number}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _handler(server: FakeChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, payload = server.respond(self.path, headers, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

    return Handler
