using Experiments.Dashboard;

var builder = WebApplication.CreateBuilder(args);
builder.AddDashboard();

var app = builder.Build();
app.MapDashboard();
app.Run();
