using Microsoft.EntityFrameworkCore;

namespace OpenWard.Server.Identity;

/// <summary>OpenIddict's applications, authorizations and tokens, in <c>identity.db</c> in the data directory.</summary>
public sealed class IdentityStore(DbContextOptions<IdentityStore> options) : DbContext(options);
