// placeholder until the webview page lands
export {};
