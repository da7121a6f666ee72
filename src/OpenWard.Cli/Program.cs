using System.CommandLine;
using OpenWard.Cli.Commands;

var root = new RootCommand("openward: administer an OpenWard server and measure it")
{
    GlobalOptions.Server,
    GlobalOptions.Data,
    PatientsCommand.Create(),
    DevicesCommand.Create(),
    DeadLettersCommand.Create(),
    Hl7SendersCommand.Create(),
    ModelsCommand.Create(),
    ReadingsCommand.Create(),
    ClientsCommand.Create(),
    UsersCommand.Create(),
    TeamsCommand.Create(),
    AuditCommand.Create(),
    KeysCommand.Create(),
    DecodeCommand.Create(),
    News2Command.Create(),
    EvaluateCommand.Create(),
    SimulateCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
