export * from './balance-sheet/balance-sheet.projection';
