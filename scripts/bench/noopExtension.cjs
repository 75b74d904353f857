// The activation baseline: an extension that does nothing, loaded and activated the same way.
exports.activate = () => ({ services: async () => ({}) });
