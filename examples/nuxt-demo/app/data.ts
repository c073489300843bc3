export interface Product {
  id: number
  name: string
  price: number
}

export const PRODUCTS: Product[] = [
  { id: 1, name: 'Tea', price: 3.5 },
  { id: 2, name: 'Coffee', price: 4.25 },
  { id: 3, name: 'Cake', price: 6 },
]

export const ADDRESS = { city: 'London', zip: 'W1' }

export const JOINED = new Date('2024-03-01T00:00:00.000Z')
