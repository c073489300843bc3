export type Product = { id: number; name: string; price: number; tags: string[] }

export const PRODUCTS: Product[] = [
  { id: 1, name: 'Espresso cup', price: 12.5, tags: ['kitchen'] },
  { id: 2, name: 'Walnut tray', price: 48, tags: ['kitchen', 'wood'] },
  { id: 3, name: 'Linen apron', price: 29.9, tags: ['textile'] },
]

export const ADDRESS = { city: 'London', zip: 'W1 4AB' }
export const JOINED = new Date('2021-03-14T09:30:00.000Z')
