# syntax=docker/dockerfile:1
# Multi-stage build after the dotnet-docker samples: SDK image builds, the ASP.NET runtime image runs as non-root.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source

# Restore first, from the project files alone, so the package layer is cached across source changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Portal/Portal.csproj src/Portal/
COPY src/Portal.DevStack/Portal.DevStack.csproj src/Portal.DevStack/
RUN dotnet restore src/Portal/Portal.csproj

COPY src/ src/
COPY wwwroot-assets/ wwwroot-assets/
# The same publish step CI runs (.ci/run).
RUN dotnet publish src/Portal/Portal.csproj -c Release -o /app -p:UseAppHost=false --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    Storage__DataDirectory=/data
# /data holds the SQLite audit database, staged packages and the data-protection keys: mount a volume there.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
EXPOSE 8080
WORKDIR /app
COPY --from=build /app .
# APP_UID is the non-root "app" user the .NET images provide.
USER $APP_UID
ENTRYPOINT ["dotnet", "Portal.dll"]
