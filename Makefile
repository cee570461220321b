# zhuanxing: `make demo` runs the platform with a demo district; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_STALE_DAYS ?= 30
STAMP := $(VENV)/.installed

.PHONY: demo test install lint format bench clean

$(STAMP): requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# The demo district (2,770 enterprises) evaluates in the background, as a large district would.
# A demo built more than DEMO_STALE_DAYS ago: asks (y/N) on a terminal; REFRESH=1 rebuilds without asking.
demo: install
	mkdir -p var
	$(BIN)/zhuanxing migrate --noinput
	$(BIN)/zhuanxing collectstatic --noinput -v0
	$(BIN)/zhuanxing demo-data --if-empty --stale-after $(DEMO_STALE_DAYS) $(if $(REFRESH),--refresh)
	@echo "平台已启动：http://127.0.0.1:$(PORT)/  （gunicorn + 后台任务进程，Ctrl+C 停止）"
	ZHUANXING_JOB_RUN_ENTERPRISES=$${ZHUANXING_JOB_RUN_ENTERPRISES:-1000} $(BIN)/zhuanxing serve --bind 127.0.0.1:$(PORT) --workers 2

test: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
