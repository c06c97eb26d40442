# syntax=docker/dockerfile:1
# After dotnet-docker's samples (samples/aspnetapp): the SDK image builds for the target architecture on the build
# machine's own platform, the ASP.NET runtime image runs the result as the non-root "app" user.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /source

# Restore first, from the project files alone, so the package layer is cached across source changes. The image leaves
# the development stack out (IncludeDevStack=false): no OpenIddict, no in-memory database, no Tencent simulator.
COPY --link global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY --link src/Portal/Portal.csproj src/Portal/
COPY --link src/Portal.Packages/Portal.Packages.csproj src/Portal.Packages/
COPY --link src/Portal.ApiContract/Portal.ApiContract.csproj src/Portal.ApiContract/
RUN dotnet restore src/Portal/Portal.csproj -a $TARGETARCH -p:IncludeDevStack=false

COPY --link src/Portal/ src/Portal/
COPY --link src/Portal.Packages/ src/Portal.Packages/
COPY --link src/Portal.ApiContract/ src/Portal.ApiContract/
COPY --link wwwroot-assets/ wwwroot-assets/
# The same publish step CI runs (.ci/run): one architecture's native libraries only (SQLite ships 22 otherwise).
RUN dotnet publish src/Portal/Portal.csproj -c Release -a $TARGETARCH -p:IncludeDevStack=false -p:UseAppHost=false --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
LABEL org.opencontainers.image.title="Account package portal" \
      org.opencontainers.image.description="Uploads account lists to Tencent Push as account packages, checked first, with an audit trail" \
      org.opencontainers.image.licenses="MIT"
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    Storage__DataDirectory=/data
# /data holds the SQLite audit database, staged packages and the data-protection keys: mount a volume there. The
# portal keeps it private to its user (0700, files 0600).
RUN mkdir -p /data && chown "$APP_UID" /data && chmod 700 /data
VOLUME /data
EXPOSE 8080
WORKDIR /app
COPY --link --from=build /app .
# APP_UID is the non-root "app" user the .NET images provide.
USER $APP_UID
ENTRYPOINT ["dotnet", "Portal.dll"]
