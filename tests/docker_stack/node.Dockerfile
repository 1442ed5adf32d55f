# Stand-in for the public node:20 slim image: this machine's own Node 20 and npm (Debian's
# nodejs is 18, too old for Vite 8), sent in as the build context by the test.
ARG DEBIAN_IMAGE=local/debian:bookworm
FROM ${DEBIAN_IMAGE}
COPY usr/ /usr/
RUN ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm \
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx \
 && node --version && npm --version
CMD ["node"]
