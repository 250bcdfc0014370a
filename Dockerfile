# One image for every process of Reflect (bot/deploy.py says which command each runs). The
# models are trained here, from the data in the repository. No secret is in it: settings come
# from the environment at run time (a Kubernetes Secret, or an .env file beside compose).
FROM python:3.10-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN python -m pip install --no-cache-dir -r requirements.lock
COPY . .
RUN python -m pip install --no-cache-dir --no-deps -e . \
    && make --no-print-directory train BIN=/usr/local/bin VENV=/usr/local STAMP=requirements.lock \
    && useradd --uid 10001 --no-create-home reflect
ENV RASA_TELEMETRY_ENABLED=false REFLECT_VAR_DIR=/tmp/reflect
USER 10001
EXPOSE 8000 5005 5055
CMD ["reflect", "--help"]
