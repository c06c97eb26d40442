using Microsoft.EntityFrameworkCore;

namespace Portal.DevStack.IdentityProvider;

/// <summary>The in-memory store behind OpenIddict (applications, authorizations, tokens). Lost on restart.</summary>
internal sealed class DevIdentityProviderDbContext(DbContextOptions<DevIdentityProviderDbContext> options) : DbContext(options);
