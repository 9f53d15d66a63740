using System.Text.Json;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using EventStore.Domain.Users.Registering;
using Microsoft.AspNetCore.Identity;
using Wolverine.Marten;
using static EventStore.UnitTests.PersonalDataFixture;

namespace EventStore.UnitTests.Users;

public sealed class RegisteringTests
{
    private const string Password = "correct horse battery staple";
    private static readonly Guid UserId = Guid.Parse("0197a5c4-0000-7000-8000-000000000001");
    private static readonly DateTimeOffset Now = new(2025, 4, 2, 8, 15, 0, TimeSpan.Zero);

    private readonly PasswordHasher<UserAccount> _hasher = new();

    private static RegisterUser Command(string username = "Alice.Smith", string email = "alice@example.com", string? displayName = null) =>
        new(UserId, username, email, Password, displayName);

    private (RegisteredUser Result, IStartStream Stream, UserAccount Account) Register(RegisterUser command)
    {
        var (result, stream, op, _) = RegisterUserHandler.Handle(command, _hasher, Protector, new FixedClock(Now));
        var insert = Assert.IsType<InsertDoc<UserAccount>>(op);
        return (result, stream, Assert.IsType<UserAccount>(insert.Document));
    }

    private (IStartStream Stream, PersonalDataOpener Personal) RegisterWithKey(RegisterUser command)
    {
        var (_, stream, _, keyOp) = RegisterUserHandler.Handle(command, _hasher, Protector, new FixedClock(Now));
        return (stream, Protector.OpenerFor([Assert.IsType<PersonalDataKey>(Assert.IsType<InsertDoc<PersonalDataKey>>(keyOp).Document)]));
    }

    private static UserRegistered Decide(RegisterUser command, DateTimeOffset now) =>
        RegisterUserHandler.Decide(command, SealerFor(UserId), now);

    [Fact]
    public void registering_starts_the_user_stream_with_a_single_registered_event()
    {
        var (result, _, _) = Register(Command(username: "  Alice.Smith ", email: " Alice@Example.COM "));
        var (stream, personal) = RegisterWithKey(Command(username: "  Alice.Smith ", email: " Alice@Example.COM "));

        Assert.Equal(new RegisteredUser(UserId), result);
        Assert.Equal(UserId, stream.StreamId);
        Assert.Equal(typeof(User), stream.AggregateType);
        var registered = Assert.IsType<UserRegistered>(Assert.Single(stream.Events));
        Assert.Equal((UserId, "Alice.Smith", "alice@example.com", "Alice.Smith", Now),
            (registered.UserId, personal.Open(registered.Username), personal.Open(registered.Email), personal.Open(registered.DisplayName),
                registered.RegisteredAt));
    }

    [Fact]
    public void registering_creates_the_users_personal_data_key_in_the_same_transaction()
    {
        var (_, stream, _, keyOp) = RegisterUserHandler.Handle(Command(), _hasher, Protector, new FixedClock(Now));

        var key = Assert.IsType<PersonalDataKey>(Assert.IsType<InsertDoc<PersonalDataKey>>(keyOp).Document);
        Assert.Equal((UserId, Now, false), (key.Id, key.CreatedAt, key.IsErased));
        var registered = Assert.IsType<UserRegistered>(Assert.Single(stream.Events));
        Assert.Equal("alice@example.com", Protector.OpenerFor([key]).Open(registered.Email));
        Assert.Null(OpenerFor(Guid.NewGuid()).Open(registered.Email)); // no one else's key opens it
    }

    [Fact]
    public void registering_never_puts_the_password_in_the_event()
    {
        var (_, stream, account) = Register(Command());
        var registered = Assert.IsType<UserRegistered>(Assert.Single(stream.Events));

        foreach (var property in typeof(UserRegistered).GetProperties())
        {
            Assert.DoesNotContain("password", property.Name, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("hash", property.Name, StringComparison.OrdinalIgnoreCase);
            var value = Convert.ToString(property.GetValue(registered), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            Assert.DoesNotContain(Password, value, StringComparison.Ordinal);
            Assert.DoesNotContain(account.PasswordHash, value, StringComparison.Ordinal);
        }

        var json = JsonSerializer.Serialize(registered);
        // Personal data is sealed under the user's key: not even the e-mail is in the stored JSON in clear.
        Assert.DoesNotContain("alice@example.com", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice.Smith", json, StringComparison.Ordinal);
        Assert.Contains("\"$personal\":\"v1\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, json, StringComparison.Ordinal);
        Assert.DoesNotContain(account.PasswordHash, json, StringComparison.Ordinal);
    }

    [Fact]
    public void registering_stores_a_verifiable_hash_not_the_password_in_the_account()
    {
        var (_, _, account) = Register(Command());

        Assert.NotEqual(Password, account.PasswordHash);
        Assert.DoesNotContain(Password, account.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(PasswordVerificationResult.Success, _hasher.VerifyHashedPassword(account, account.PasswordHash, Password));
        Assert.Equal(PasswordVerificationResult.Failed, _hasher.VerifyHashedPassword(account, account.PasswordHash, Password + "!"));
    }

    [Fact]
    public void the_account_keys_are_the_normalised_username_and_email()
    {
        var (_, _, account) = Register(Command(username: " Alice.Smith  ", email: "  Alice.Smith@Example.COM "));

        Assert.Equal(UserId, account.Id);
        Assert.Equal("alice.smith", account.Username);
        Assert.Equal("alice.smith@example.com", account.Email);
    }

    [Fact]
    public void the_event_keeps_the_username_as_typed_but_trimmed_and_the_email_normalised()
    {
        var registered = Decide(Command(username: " Alice.Smith ", email: " ALICE@Example.com"), Now);

        Assert.Equal("Alice.Smith", Open(registered.Username));
        Assert.Equal("alice@example.com", Open(registered.Email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void display_name_defaults_to_the_username(string? displayName)
    {
        var registered = Decide(Command(username: " Alice.Smith ", displayName: displayName), Now);

        Assert.Equal("Alice.Smith", Open(registered.DisplayName));
    }

    [Fact]
    public void a_given_display_name_is_kept_trimmed()
    {
        var registered = Decide(Command(displayName: "  Alice in Chains "), Now);

        Assert.Equal("Alice in Chains", Open(registered.DisplayName));
    }

    [Fact]
    public void the_registration_time_comes_from_the_clock()
    {
        var later = Now.AddHours(3);

        var (_, stream, _, _) = RegisterUserHandler.Handle(Command(), _hasher, Protector, new FixedClock(later));

        Assert.Equal(later, Assert.IsType<UserRegistered>(Assert.Single(stream.Events)).RegisteredAt);
        Assert.Equal(Now, Decide(Command(), Now).RegisteredAt);
    }

    [Fact]
    public void the_command_never_prints_its_password()
    {
        Assert.DoesNotContain(Password, Command().ToString(), StringComparison.Ordinal);
    }
}
