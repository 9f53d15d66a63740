using EventStore.Api.MarketData;
using EventStore.Domain.MarketData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventStore.IntegrationTests.MarketData;

// AddMarketData in a bare host (no PostgreSQL, no Wolverine): what the lead wires into the app, checked on its own.
public sealed class MarketDataSetupTests : IDisposable
{
    private readonly VendorStub _vendor = new();

    [Fact]
    public async Task a_wrong_provider_stops_start_up_naming_the_setting()
    {
        using var host = Host(("MarketData:Provider", "bloomberg"));

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MarketData:Provider", e.Message, StringComparison.Ordinal);
        Assert.Contains("bloomberg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_http_provider_without_base_url_and_key_stops_start_up_naming_both()
    {
        using var host = Host(("MarketData:Provider", "http"));

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MarketData:Http:BaseUrl", e.Message, StringComparison.Ordinal);
        Assert.Contains("MarketData:Http:ApiKey", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MarketData:Http:MinimumThroughput", "1")]
    [InlineData("MarketData:Http:BreakDuration", "00:00:00.1")]
    [InlineData("MarketData:Http:FailureRatio", "0")]
    [InlineData("MarketData:TickInterval", "00:00:00")]
    [InlineData("MarketData:Simulated:Volatility", "0.5")]
    public async Task a_setting_out_of_range_stops_start_up_naming_it(string setting, string value)
    {
        using var host = Host((setting, value));

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_simulated_feed_is_the_default_and_reads_scoped_symbols_per_call()
    {
        using var host = Host();
        await host.StartAsync();

        await using var scope = host.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredService<IMarketDataProvider>();
        var quote = await provider.GetQuoteAsync("IBM", CancellationToken.None);

        Assert.IsType<SimulatedMarketData>(provider);
        Assert.Equal("simulated", quote.Source);
        Assert.Same(provider, host.Services.GetRequiredService<IMarketDataProvider>());
        await host.StopAsync();
    }

    [Fact]
    public async Task the_http_provider_is_chosen_by_configuration_and_reaches_the_vendor_through_the_typed_client()
    {
        _vendor.Answer(VendorStub.Quote("IBM", 50m));
        using var host = Host(
            ("MarketData:Provider", "HTTP"), ("MarketData:Http:BaseUrl", _vendor.Url), ("MarketData:Http:ApiKey", "setup-key"));
        await host.StartAsync();

        var provider = host.Services.GetRequiredService<IMarketDataProvider>();
        var quote = await provider.GetQuoteAsync("IBM", CancellationToken.None);

        Assert.IsType<HttpMarketDataProvider>(provider);
        Assert.Equal((49.99m, 50.01m), (quote.Bid, quote.Ask));
        await host.StopAsync();
    }

    [Fact]
    public void the_pump_is_one_instance_resolvable_by_tests_and_run_as_a_hosted_service()
    {
        using var host = Host();

        var pump = host.Services.GetRequiredService<MarketDataPump>();

        Assert.Contains(pump, host.Services.GetServices<IHostedService>());
    }

    [Fact]
    public void quotes_go_to_the_message_bus_and_the_symbols_are_left_to_the_trading_module()
    {
        var services = new ServiceCollection().AddMarketData(new ConfigurationBuilder().Build());

        var sink = Assert.Single(services, d => d.ServiceType == typeof(IQuoteSink));
        Assert.Equal(typeof(MessageBusQuoteSink), sink.ImplementationType);
        Assert.Equal(ServiceLifetime.Scoped, sink.Lifetime);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IQuotedSymbols));
    }

    public void Dispose() => _vendor.Dispose();

    private static IHost Host(params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
            settings.Append(("MarketData:Enabled", "false")).Select(s => new KeyValuePair<string, string?>(s.Item1, s.Item2)));
        builder.Services.AddLogging();
        // Scoped, as the Trading module's implementation reads a Marten session; scope validation proves no singleton captures it.
        builder.Services.AddScoped<IQuotedSymbols>(_ => new SymbolList(new QuotedSymbol("IBM", 100m, 0.01m, 1m)));
        builder.Services.AddMarketData(builder.Configuration);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true }));
        return builder.Build();
    }
}
