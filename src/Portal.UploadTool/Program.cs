using Portal.UploadTool;

return await UploadTool.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
